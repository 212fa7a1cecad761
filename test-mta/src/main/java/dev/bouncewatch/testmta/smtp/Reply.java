package dev.bouncewatch.testmta.smtp;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply as the sink means it: a basic code, an optional RFC 3463 enhanced code and one or
 * more text lines. The wire form (continuation dashes, the enhanced code repeated on every line,
 * CRLF) is the encoder's job, so rules and catalogues never hold protocol framing.
 *
 * @param code         three-digit basic code, 200..599
 * @param enhancedCode {@code class.subject.detail} or null to let the session fill a default
 * @param lines        text lines, at least one (may be empty strings)
 */
public record Reply(int code, String enhancedCode, List<String> lines) {

    private static final Pattern TEXT_FORM =
            Pattern.compile("^([2-5]\\d\\d)(?:[ -]([245]\\.\\d{1,3}\\.\\d{1,3}))?(?:[ -](.*))?$", Pattern.DOTALL);

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code must be 200..599, got " + code);
        }
        if (enhancedCode != null) {
            if (!isEnhancedCode(enhancedCode)) {
                throw new IllegalArgumentException("enhanced code must look like 5.1.1, got '" + enhancedCode + "'");
            }
            if (code / 100 != 3 && enhancedCode.charAt(0) - '0' != code / 100) {
                throw new IllegalArgumentException(
                        "enhanced code " + enhancedCode + " has another class than reply code " + code);
            }
        }
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
        if (lines.isEmpty()) {
            lines = List.of("");
        }
    }

    public static Reply of(int code, String enhancedCode, String... lines) {
        return new Reply(code, enhancedCode, List.of(lines));
    }

    /** True when the enhanced code is a syntactically valid {@code class.subject.detail}. */
    public static boolean isEnhancedCode(String s) {
        // class "." subject "." detail, each number 1-3 ASCII digits; by hand, not a regex, because
        // every reply the sink sends is built through here
        if (s == null || s.length() < 5 || s.length() > 9) {
            return false;
        }
        char c = s.charAt(0);
        if (c != '2' && c != '4' && c != '5' || s.charAt(1) != '.') {
            return false;
        }
        int subjectEnd = digits(s, 2);
        int subject = subjectEnd - 2;
        if (subject < 1 || subject > 3 || subjectEnd >= s.length() || s.charAt(subjectEnd) != '.') {
            return false;
        }
        int detail = s.length() - subjectEnd - 1;
        return detail >= 1 && detail <= 3 && digits(s, subjectEnd + 1) == s.length();
    }

    /** Index of the first non-ASCII-digit at or after {@code from}. */
    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /**
     * Parses the short text form used in scenario files and on the command line:
     * {@code "550 5.1.1 No such user"}, {@code "451 Try later"}, {@code "250"}.
     * Newlines in the text become separate lines.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Reply parse(String text) {
        Matcher m = TEXT_FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "expected a reply like '550 5.1.1 text' (code 200..599, optional enhanced code), got '" + text + "'");
        }
        String body = m.group(3) == null ? "" : m.group(3);
        return new Reply(Integer.parseInt(m.group(1)), m.group(2), List.of(body.split("\r?\n", -1)));
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The text lines joined by a space, as most logs show a multi-line reply. */
    public String text() {
        return String.join(" ", lines);
    }

    public Reply withEnhancedCode(String esc) {
        return new Reply(code, esc, lines);
    }
}
