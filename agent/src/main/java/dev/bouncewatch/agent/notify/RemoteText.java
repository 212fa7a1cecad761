package dev.bouncewatch.agent.notify;

/**
 * Text that came from a remote server or a log line (replies, addresses, host names): its length is
 * bounded before it goes into an event, and control characters are made visible before it goes into
 * a log line, so a hostile reply can neither blow up a payload nor forge log lines or terminal
 * escape sequences.
 */
public final class RemoteText {

    private static final String ELLIPSIS = "…";

    private RemoteText() {
    }

    /** At most {@code max} characters, cut on a code point boundary and marked with an ellipsis; null stays null. */
    public static String bounded(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max - ELLIPSIS.length();
        if (end > 0 && Character.isLowSurrogate(s.charAt(end)) && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, Math.max(0, end)) + ELLIPSIS;
    }

    /**
     * Control characters (C0, DEL, C1, and the Unicode line and paragraph separators and bidi
     * overrides that reorder what a terminal shows) as {@code \n}, {@code \t} or {@code \}{@code uXXXX};
     * a backslash itself as {@code \\}, so the result reads back unambiguously.
     */
    public static String escapeControls(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (replacement != null) {
                    sb.append(replacement);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static String replacement(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '\\':
                return "\\\\";
            default:
                break;
        }
        boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f';
        return control ? String.format("\\u%04x", (int) c) : null;
    }
}
