package dev.bouncewatch.testmta.yaml;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Suggests the word a user probably meant ({@code rpct} for {@code rcpt}) in "unknown key/value" problems. */
public final class DidYouMean {

    /** Two edits catch a typo or a swapped pair without suggesting unrelated words. */
    private static final int MAX_EDITS = 2;

    private DidYouMean() {
    }

    /** " (did you mean X?)" (or "X or Y") when a candidate is within two edits of {@code word}, ignoring case; else "". */
    public static String suggestion(String word, Collection<String> candidates) {
        Set<String> close = new LinkedHashSet<>();
        String w = word.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            if (editDistance(w, c.toLowerCase(Locale.ROOT)) <= MAX_EDITS) {
                close.add(c);
            }
        }
        return close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)";
    }

    /** Levenshtein distance, two rows. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
