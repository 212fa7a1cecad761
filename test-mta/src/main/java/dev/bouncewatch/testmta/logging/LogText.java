package dev.bouncewatch.testmta.logging;

/**
 * Makes text safe for a line-based log: a remote server's reply may hold CR, LF or ANSI escapes
 * that would otherwise start a forged log line or repaint the admin's terminal. Backslashes are
 * kept as they are (paths and regular expressions stay readable), so an escaped "\n" and a literal
 * one look alike; neither can start a new line.
 */
public final class LogText {

    private LogText() {
    }

    public static String escape(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        escapeTo(s, out);
        return out.toString();
    }

    /**
     * Appends {@code s} with C0 and C1 control characters (tab excepted), DEL, the Unicode line and
     * paragraph separators, bidirectional overrides (text that displays in another order than it
     * reads) and lone surrogates written as {@code \n}, {@code \r}, {@code \xNN} or {@code \\uNNNN}.
     */
    public static void escapeTo(CharSequence s, StringBuilder out) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append(c);
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else if (c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                    || (Character.isSurrogate(c) && !pairedSurrogate(s, i))) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
                if (Character.isHighSurrogate(c)) {
                    out.append(s.charAt(++i));
                }
            }
        }
    }

    /** A high surrogate followed by a low one (the pair is one code point); a low one is always checked with its high one. */
    private static boolean pairedSurrogate(CharSequence s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }

    /** At most {@code max} characters, with how many were left out; never cuts a surrogate pair. */
    public static String bounded(String s, int max) {
        if (s == null || s.length() <= max) {
            return s == null ? "" : s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "... (" + (s.length() - end) + " more characters)";
    }
}
