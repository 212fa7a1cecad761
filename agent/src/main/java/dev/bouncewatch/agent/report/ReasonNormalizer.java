package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.parse.TsvRows;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Masks the parts of a reply text that differ between otherwise identical reasons (addresses, IPs,
 * host names with IPs, times, hex and mixed ids, numbers) so that "550 5.1.1 <anna@x>: unknown" and
 * "550 5.1.1 <ben@y>: unknown" become one group. The masks are data: {@code reason-masks.tsv}.
 * Not thread-safe (it keeps a small cache): one instance per report.
 */
public final class ReasonNormalizer {

    static final String RESOURCE = "reason-masks.tsv";

    private record Mask(String name, Pattern pattern, String replacement) {
    }

    /**
     * Most maskable words repeat (550, 5.1.1, 421-4.7.28 ...): remembering their masked form saves the
     * regexes. Bounded: when full it starts over, so unique words (addresses) cannot grow it.
     */
    static final int WORD_CACHE_SIZE = 4096;

    private final List<Mask> masks;
    private final Map<String, String> maskedWords = new HashMap<>();
    /** Whole reasons repeat too (the same deferral for every recipient of a provider): same idea, one level up. */
    static final int WHOLE_CACHE_SIZE = 1024;
    private static final int WHOLE_MAX_CHARS = 1024;
    private final Map<String, String> normalized = new HashMap<>();

    private ReasonNormalizer(List<Mask> masks) {
        this.masks = List.copyOf(masks);
    }

    /** The built-in masks, in a new instance. */
    public static ReasonNormalizer standard() {
        List<Mask> masks = new ArrayList<>();
        TsvRows.readResource(ReasonNormalizer.class, RESOURCE, (lineNo, fields) -> masks.add(mask(RESOURCE, lineNo, fields)));
        return new ReasonNormalizer(masks);
    }

    /** Reads masks from a tab-separated file: name, regex, replacement; '#' starts a comment line. */
    static ReasonNormalizer load(String fileName, InputStream in) throws IOException {
        List<Mask> masks = new ArrayList<>();
        TsvRows.read(in, (lineNo, fields) -> masks.add(mask(fileName, lineNo, fields)));
        return new ReasonNormalizer(masks);
    }

    private static Mask mask(String fileName, int lineNo, String[] fields) {
        if (fields.length != 3) {
            throw new IllegalArgumentException(fileName + ":" + lineNo
                    + ": expected 3 tab-separated fields (name, regex, replacement), found " + fields.length);
        }
        try {
            return new Mask(fields[0], Pattern.compile(fields[1]), Matcher.quoteReplacement(fields[2]));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(fileName + ":" + lineNo + ": field regex of mask '" + fields[0]
                    + "' is not a valid Java regex: " + e.getDescription(), e);
        }
    }

    /**
     * The text with every mask applied, whitespace collapsed; same reason, same result. The masks run
     * word by word and only on words with a digit or an '@' (addresses, IPs, ids, numbers): running
     * ten regexes over whole English sentences cost a hundred times more and changed nothing.
     */
    public String normalize(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.length() > WHOLE_MAX_CHARS) {
            return normalizeWords(reason);
        }
        String known = normalized.get(reason);
        if (known == null) {
            if (normalized.size() >= WHOLE_CACHE_SIZE) {
                normalized.clear(); // bounded, as for words: unique texts cannot grow it
            }
            known = normalizeWords(reason);
            normalized.put(reason, known);
        }
        return known;
    }

    private String normalizeWords(String reason) {
        StringBuilder out = new StringBuilder(reason.length());
        int i = 0;
        int n = reason.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(reason.charAt(i))) {
                i++;
            }
            int start = i;
            boolean maskable = false;
            while (i < n && !Character.isWhitespace(reason.charAt(i))) {
                char c = reason.charAt(i);
                maskable |= c == '@' || (c >= '0' && c <= '9');
                i++;
            }
            if (start < i) {
                if (out.length() > 0) {
                    out.append(' ');
                }
                String word = reason.substring(start, i);
                out.append(maskable ? mask(word) : word);
            }
        }
        return out.toString();
    }

    private String mask(String word) {
        String cached = maskedWords.get(word);
        if (cached != null) {
            return cached;
        }
        String text = word;
        for (Mask mask : masks) {
            text = mask.pattern().matcher(text).replaceAll(mask.replacement());
        }
        if (maskedWords.size() >= WORD_CACHE_SIZE) {
            maskedWords.clear();
        }
        maskedWords.put(word, text);
        return text;
    }

    /** The grouping key: the normalised text, case-insensitive. */
    public String groupKey(String reason) {
        return normalize(reason).toLowerCase(Locale.ROOT);
    }
}
