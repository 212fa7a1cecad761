package dev.bouncewatch.agent.classify;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Turns a logged reply into the form rules match against. */
final class TextNormalizer {

    /** Longest text looked at: rule cues sit near the start, and huge lines must stay cheap. */
    static final int MAX_CHARS = 4096;

    private static final Pattern SPACES = Pattern.compile("\\s{2,}");

    private TextNormalizer() {
    }

    /** Lower case with runs of whitespace (including control characters) folded to one space. */
    static String fold(String s) {
        String cut = s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s;
        StringBuilder sb = new StringBuilder(cut.length());
        boolean space = false;
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = sb.length() > 0;
                continue;
            }
            if (space) {
                sb.append(' ');
                space = false;
            }
            sb.append(c);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Replaces what differs between otherwise identical replies, so they classify (and cache) as
     * one: the local part of e-mail addresses ({@code *@example.org}, the domain stays because
     * provider tokens live there), the digits of IPv4 addresses ({@code #.#.#.#}) and long ids. No
     * rule looks at any of them.
     */
    static String maskVolatile(String s) {
        char[] c = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '@' && i > 0 && isLocalPartChar(s.charAt(i - 1))) {
                int start = i;
                while (start > 0 && isLocalPartChar(s.charAt(start - 1))) {
                    start--;
                }
                c = c == null ? s.toCharArray() : c;
                c[start] = '*';
                for (int k = start + 1; k < i; k++) {
                    c[k] = '\0';
                }
            } else if (isDigit(ch) && (i == 0 || !isDigit(s.charAt(i - 1)) && s.charAt(i - 1) != '.')) {
                int end = ipv4End(s, i);
                if (end > 0) {
                    c = c == null ? s.toCharArray() : c;
                    int k = i;
                    for (int part = 0; part < 4; part++) {
                        c[k] = '#';
                        int p = k + 1;
                        while (p < end && isDigit(s.charAt(p))) {
                            c[p++] = '\0';
                        }
                        k = p + 1;
                    }
                    i = end - 1;
                }
            }
        }
        String masked = s;
        if (c != null) {
            StringBuilder sb = new StringBuilder(c.length);
            for (char ch : c) {
                if (ch != '\0') {
                    sb.append(ch);
                }
            }
            masked = sb.toString();
        }
        return maskIds(masked);
    }

    /*
     * Queue ids, session ids and timestamps ("d9443c01a7336-2150c3e0a1bsi1234567b3.89 - gsmtp",
     * "1732870000"): letter-digit tokens of 10+ characters with 3+ digits, and digit runs of 5+,
     * become "#". Provider codes (ib607, s3150, tss04, ofr006_102) are shorter and stay.
     */
    private static String maskIds(String s) {
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < s.length()) {
            if (!isAlnum(s.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            int digits = 0;
            while (i < s.length() && isAlnum(s.charAt(i))) {
                if (isDigit(s.charAt(i))) {
                    digits++;
                }
                i++;
            }
            int len = i - start;
            boolean id = digits == len ? len >= 5 : len >= 10 && digits >= 3;
            if (id) {
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, copied, start).append('#');
                copied = i;
            }
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** End of a dotted quad starting at i (not followed by another dot-digit), or -1. */
    private static int ipv4End(String s, int i) {
        int j = i;
        for (int part = 0; part < 4; part++) {
            int digits = 0;
            while (j < s.length() && isDigit(s.charAt(j)) && digits < 4) {
                j++;
                digits++;
            }
            if (digits == 0 || digits > 3) {
                return -1;
            }
            if (part < 3) {
                if (j >= s.length() || s.charAt(j) != '.') {
                    return -1;
                }
                j++;
            }
        }
        if (j < s.length() && (isDigit(s.charAt(j)) || s.charAt(j) == '.' && j + 1 < s.length() && isDigit(s.charAt(j + 1)))) {
            return -1;
        }
        return j;
    }

    private static boolean isLocalPartChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '+'
                || c == '=' || c == '%';
    }

    /** The folded text with continuation prefixes and the MTA's own wrapper words removed. */
    static String strip(String folded, List<Wrapper> wrappers) {
        String s = dropContinuations(folded);
        for (Wrapper w : wrappers) {
            s = w.strip(s);
        }
        return SPACES.matcher(s).replaceAll(" ").trim();
    }

    /*
     * Postfix joins multi-line replies with spaces, keeping each line's "550-5.1.1 " prefix, so
     * phrases that wrapped are cut by it: "does not 550-5.1.1 exist". Drop the prefixes that follow
     * a space (the first line's own code stays). Done by hand: it runs on every reply.
     */
    static String dropContinuations(String s) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = 1; i + 4 <= s.length(); i++) {
            if (s.charAt(i - 1) == ' ' && isClass(s.charAt(i)) && isDigit(s.charAt(i + 1)) && isDigit(s.charAt(i + 2))
                    && s.charAt(i + 3) == '-') {
                int end = i + 4;
                int esc = enhancedCodeEnd(s, end);
                if (esc > 0 && esc < s.length() && s.charAt(esc) == ' ') {
                    end = esc + 1;
                }
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, copied, i);
                copied = end;
                i = end - 1;
            }
        }
        if (out == null) {
            return s;
        }
        return out.append(s, copied, s.length()).toString();
    }

    /** End index of an enhanced code like 5.1.1 starting at {@code i}, or -1. */
    private static int enhancedCodeEnd(String s, int i) {
        if (i >= s.length() || !isClass(s.charAt(i)) || i + 1 >= s.length() || s.charAt(i + 1) != '.') {
            return -1;
        }
        int j = i + 2;
        int digits = 0;
        while (j < s.length() && isDigit(s.charAt(j)) && digits < 3) {
            j++;
            digits++;
        }
        if (digits == 0 || j >= s.length() || s.charAt(j) != '.') {
            return -1;
        }
        j++;
        digits = 0;
        while (j < s.length() && isDigit(s.charAt(j)) && digits < 3) {
            j++;
            digits++;
        }
        return digits == 0 ? -1 : j;
    }

    private static boolean isClass(char c) {
        return c == '2' || c == '4' || c == '5';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
