package dev.bouncewatch.agent.notify.slack;

/**
 * Makes text safe for Slack {@code mrkdwn}. Slack treats {@code &}, {@code <} and {@code >} as
 * control characters ({@code <!channel>}, {@code <@U123>}, {@code <https://x|label>}), so they are
 * always escaped; text from remote servers (replies, addresses, host names) additionally goes into
 * an inline code span, where {@code *bold*} and friends are inert, after its backticks are replaced
 * so it cannot close the span early.
 */
public final class SlackText {

    /** Looks like a backtick but does not end a code span. */
    private static final char BACKTICK_LOOKALIKE = '\u02CB';
    private static final String ELLIPSIS = "…";

    private SlackText() {
    }

    /**
     * Escapes Slack's three control characters, {@code &} first so entities are not doubled. Nothing
     * else is touched: Slack does not decode other HTML entities.
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Untrusted text as an inline code span: one line, control and bidi characters blanked,
     * backticks replaced, cut to {@code maxChars} of the original text (before escaping, so an
     * entity is never cut in half), then escaped.
     */
    public static String code(String untrusted, int maxChars) {
        String line = oneLine(untrusted);
        if (line.isBlank()) {
            return "`-`";
        }
        return "`" + escape(cut(line.replace('`', BACKTICK_LOOKALIKE), maxChars)) + "`";
    }

    /** Our own text for a mrkdwn field: one line, escaped, cut. */
    public static String plain(String text, int maxChars) {
        return escape(cut(oneLine(text), maxChars));
    }

    /**
     * Text for a {@code plain_text} object (headers). Slack does not format plain text, but angle
     * brackets still become look-alikes so that no payload we send ever holds a literal
     * {@code <!channel>}: a second fence that tests can check on the whole message.
     */
    public static String plainText(String text, int maxChars) {
        return cut(oneLine(text), maxChars).replace('<', '\u2039').replace('>', '\u203A');
    }

    /**
     * Replaces line breaks, C0/C1 controls and the Unicode bidi overrides (which can make a reply
     * read backwards) with spaces, and trims.
     */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean blank = c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= '\u202A' && c <= '\u202E')
                    || (c >= '\u2066' && c <= '\u2069') || c == '\u2028' || c == '\u2029';
            out.append(blank ? ' ' : c);
        }
        return out.toString().strip();
    }

    /**
     * At most {@code maxChars} UTF-16 units (which Slack's limits never undercount), ending in an
     * ellipsis when cut, never splitting a surrogate pair.
     */
    static String cut(String s, int maxChars) {
        if (s.length() <= maxChars) {
            return s;
        }
        if (maxChars <= ELLIPSIS.length()) {
            return ELLIPSIS.substring(0, Math.max(0, maxChars));
        }
        int end = maxChars - ELLIPSIS.length();
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + ELLIPSIS;
    }
}
