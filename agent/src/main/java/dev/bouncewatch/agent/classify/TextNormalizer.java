package dev.bouncewatch.agent.classify;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Turns a logged reply into the form rules match against. */
final class TextNormalizer {

    /** Longest text looked at: rule cues sit near the start, and huge lines must stay cheap. */
    static final int MAX_CHARS = 4096;

    /*
     * Postfix joins multi-line replies with spaces, keeping each line's "550-5.1.1 " prefix, so
     * phrases that wrapped are cut by it: "does not 550-5.1.1 exist". Drop the continuation prefixes.
     */
    private static final Pattern CONTINUATION = Pattern.compile("(?<=\\s)[245]\\d\\d-(?:[245]\\.\\d{1,3}\\.\\d{1,3} )?");
    private static final Pattern SPACES = Pattern.compile("\\s+");

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

    /** The folded text with continuation prefixes and the MTA's own wrapper words removed. */
    static String strip(String folded, List<Pattern> wrappers) {
        String s = CONTINUATION.matcher(folded).replaceAll("");
        for (Pattern w : wrappers) {
            s = w.matcher(s).replaceAll(" ");
        }
        return SPACES.matcher(s).replaceAll(" ").trim();
    }
}
