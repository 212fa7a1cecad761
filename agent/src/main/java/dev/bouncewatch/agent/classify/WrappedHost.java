package dev.bouncewatch.agent.classify;

/**
 * Finds the remote host an MTA names around a reply, {@code host mx.example.org[192.0.2.1] said:}
 * (Postfix) or {@code mx.example.org [192.0.2.1]} (Exim, qmail), for inputs that come without one.
 * A hand-written scan: a regex for "hostname before a bracketed IP" backtracks badly on long tokens.
 */
final class WrappedHost {

    private WrappedHost() {
    }

    /** The first host name directly followed by a bracketed IP address, lower case, or null. */
    static String find(String folded) {
        int from = 0;
        while (true) {
            int bracket = folded.indexOf('[', from);
            if (bracket < 0) {
                return null;
            }
            from = bracket + 1;
            if (!looksLikeIp(folded, bracket + 1)) {
                continue;
            }
            int end = bracket;
            if (end > 0 && folded.charAt(end - 1) == ' ') {
                end--;
            }
            int start = end;
            while (start > 0 && isHostChar(folded.charAt(start - 1))) {
                start--;
            }
            String host = folded.substring(start, end);
            if (isHostName(host)) {
                return host;
            }
        }
    }

    private static boolean looksLikeIp(String s, int i) {
        int n = 0;
        while (i + n < s.length() && n < 46) {
            char c = s.charAt(i + n);
            if (c == ']') {
                return n >= 2;
            }
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.' || c == ':' || c == '#';
            if (!ok) {
                return false;
            }
            n++;
        }
        return false;
    }

    private static boolean isHostChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }

    /** At least two labels and a top-level label of letters. */
    private static boolean isHostName(String h) {
        int dot = h.lastIndexOf('.');
        if (dot <= 0 || dot >= h.length() - 2) {
            return false;
        }
        for (int i = dot + 1; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return Character.isLetterOrDigit(h.charAt(0));
    }
}
