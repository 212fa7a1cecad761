package dev.bouncewatch.agent.parse;

/**
 * Reading SMTP replies as MTAs log them: the reply code, the enhanced status code right after it, and
 * multi-line replies turned back into one text. Postfix joins the lines with spaces and keeps every
 * continuation prefix inline ({@code 550-5.1.1 a 550-5.1.1 b 550 5.1.1 c}); Exim joins them with a
 * literal {@code \n} ({@code 440-a\n440 b}). Both become {@code 550 5.1.1 a b c}: the code once, then
 * the remote's own words.
 */
final class ReplyText {

    private ReplyText() {
    }

    /** The three-digit reply code at {@code from} (2xx-5xx, followed by space, '-' or the end), or -1. */
    static int code(String s, int from) {
        if (from + 3 > s.length()) {
            return -1;
        }
        char a = s.charAt(from);
        char b = s.charAt(from + 1);
        char c = s.charAt(from + 2);
        if (a < '2' || a > '5' || !TimestampParser.isDigit(b) || !TimestampParser.isDigit(c)) {
            return -1;
        }
        if (from + 3 < s.length()) {
            char next = s.charAt(from + 3);
            if (next != ' ' && next != '-') {
                return -1;
            }
        }
        return (a - '0') * 100 + (b - '0') * 10 + (c - '0');
    }

    /**
     * The enhanced status code ({@code 5.1.1}, {@code 4.7.25}) starting at {@code from}, or null. It must
     * end at a non-digit that is not a dot, so {@code 552 1 Requested} gives nothing.
     */
    static String enhancedCode(String s, int from) {
        int n = s.length();
        if (from + 5 > n) {
            return null;
        }
        char cls = s.charAt(from);
        if ((cls != '2' && cls != '4' && cls != '5') || s.charAt(from + 1) != '.') {
            return null;
        }
        int i = from + 2;
        int subject = digitsAt(s, i);
        if (subject < 1 || subject > 3 || i + subject >= n || s.charAt(i + subject) != '.') {
            return null;
        }
        i += subject + 1;
        int detail = digitsAt(s, i);
        if (detail < 1 || detail > 3) {
            return null;
        }
        i += detail;
        if (i < n && (s.charAt(i) == '.' || TimestampParser.isDigit(s.charAt(i)))) {
            return null;
        }
        return s.substring(from, i);
    }

    /** The enhanced code right after the reply code at the start of {@code reply}, or null. */
    static String enhancedAfterCode(String reply) {
        if (reply == null || code(reply, 0) < 0 || reply.length() < 5) {
            return null;
        }
        int i = 4;
        while (i < reply.length() && reply.charAt(i) == ' ') {
            i++;
        }
        return enhancedCode(reply, i);
    }

    /** Postfix's space-joined multi-line reply as one reply; single-line replies are returned as they are. */
    static String unfoldPostfix(String reply) {
        int code = code(reply, 0);
        if (code < 0 || reply.length() < 4 || reply.charAt(3) != '-') {
            return reply;
        }
        String codeText = reply.substring(0, 3);
        String enhanced = enhancedCode(reply, 4);
        int bodyStart = 4 + (enhanced == null ? 0 : enhanced.length());
        StringBuilder out = new StringBuilder(reply.length());
        out.append(codeText).append(' ');
        if (enhanced != null) {
            out.append(enhanced).append(' ');
        }
        int i = skipSpaces(reply, bodyStart);
        int n = reply.length();
        while (i < n) {
            int marker = reply.indexOf(" " + codeText, i);
            while (marker >= 0 && !isContinuationMarker(reply, marker + 1, enhanced)) {
                marker = reply.indexOf(" " + codeText, marker + 1);
            }
            if (marker < 0) {
                out.append(reply, i, n);
                break;
            }
            out.append(reply, i, marker).append(' ');
            int after = marker + 1 + 4 + (enhanced == null ? 0 : enhanced.length() + 1);
            i = skipSpaces(reply, Math.min(after, n));
        }
        return trimEnd(out);
    }

    /** Exim's {@code \n}-joined multi-line reply as one reply. */
    static String unfoldExim(String reply) {
        if (reply.indexOf("\\n") < 0) {
            return reply;
        }
        String[] parts = reply.split("\\\\n", -1);
        int code = code(parts[0], 0);
        String enhanced = code < 0 ? null : enhancedAfterCode(parts[0]);
        StringBuilder out = new StringBuilder(reply.length());
        for (int p = 0; p < parts.length; p++) {
            String part = parts[p];
            int start = 0;
            if (code >= 0 && code(part, 0) == code) {
                start = skipSpaces(part, 4);
                if (enhanced != null && part.startsWith(enhanced, start)) {
                    start = skipSpaces(part, start + enhanced.length());
                }
                if (p == 0) {
                    out.append(part, 0, 3).append(' ');
                    if (enhanced != null) {
                        out.append(enhanced).append(' ');
                    }
                }
            }
            if (p > 0 && out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                out.append(' ');
            }
            out.append(part, start, part.length());
        }
        return trimEnd(out);
    }

    private static boolean isContinuationMarker(String s, int at, String enhanced) {
        int sepAt = at + 3;
        if (sepAt >= s.length()) {
            return false;
        }
        char sep = s.charAt(sepAt);
        if (sep != '-' && sep != ' ') {
            return false;
        }
        if (enhanced == null) {
            return true;
        }
        return s.startsWith(enhanced, sepAt + 1)
                && (sepAt + 1 + enhanced.length() == s.length() || s.charAt(sepAt + 1 + enhanced.length()) == ' ');
    }

    private static int digitsAt(String s, int i) {
        int j = i;
        while (j < s.length() && TimestampParser.isDigit(s.charAt(j))) {
            j++;
        }
        return j - i;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static String trimEnd(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }
}
