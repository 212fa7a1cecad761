package dev.bouncewatch.agent.parse;

/** Small helpers for host and address tokens shared by the MTA parsers. */
final class Addresses {

    private Addresses() {
    }

    /** {@code <a@b>} without the brackets; the text unchanged when it has none. */
    static String stripAngles(String s) {
        if (s != null && s.length() >= 2 && s.charAt(0) == '<' && s.charAt(s.length() - 1) == '>') {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /**
     * The IP inside the last {@code [...]} of a relay token ({@code host[ip]:25}, {@code host. [IPv6:..]},
     * {@code host [ip]}), or null when there is none or it is a socket path ({@code private/dovecot-lmtp}).
     */
    static String bracketedIp(String relay) {
        if (relay == null) {
            return null;
        }
        int open = relay.lastIndexOf('[');
        if (open < 0) {
            return null;
        }
        int close = relay.indexOf(']', open);
        if (close < 0) {
            return null;
        }
        String ip = relay.substring(open + 1, close);
        if (ip.regionMatches(true, 0, "IPv6:", 0, 5)) {
            ip = ip.substring(5);
        }
        return isIp(ip) ? ip : null;
    }

    /** Loose shape check: IPv4 dotted digits, or IPv6 hex groups with colons. */
    static boolean isIp(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return false;
        }
        boolean colon = false;
        boolean dot = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                colon = true;
            } else if (c == '.') {
                dot = true;
            } else if (!(TimestampParser.isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        if (colon) {
            return true;
        }
        if (!dot) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) { // IPv4: digits and dots only
            char c = s.charAt(i);
            if (c != '.' && !TimestampParser.isDigit(c)) {
                return false;
            }
        }
        return true;
    }
}
