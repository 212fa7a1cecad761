package dev.bouncewatch.agent.parse;

import java.util.Locale;

/** How {@link ResultWriter} writes results. */
public enum OutputFormat {
    /** One JSON object per line, every field of the result. */
    JSONL,
    /** Aligned columns for reading in a terminal. */
    TABLE,
    /** RFC 4180 CSV with a header line. */
    CSV;

    public static OutputFormat fromWireName(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + s + "': expected jsonl, table or csv", e);
        }
    }
}
