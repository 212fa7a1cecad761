package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.Mta;

import java.util.EnumMap;
import java.util.Map;

/** What the parser has seen so far. Not thread-safe: one parser, one thread. */
public final class ParseCounters {

    private long lines;
    private long results;
    private long context;
    private long inboundRejects;
    private long invalidUtf8;
    private final long[] skipped = new long[SkipReason.values().length];
    private final long[] linesByMta = new long[Mta.values().length];
    private final long[] resultsByMta = new long[Mta.values().length];

    void line() {
        lines++;
    }

    void invalidUtf8() {
        invalidUtf8++;
    }

    void skip(SkipReason reason) {
        skipped[reason.ordinal()]++;
    }

    void mtaLine(Mta mta) {
        linesByMta[mta.ordinal()]++;
    }

    void results(Mta mta, int n) {
        results += n;
        resultsByMta[mta.ordinal()] += n;
    }

    void context() {
        context++;
    }

    void inboundReject() {
        inboundRejects++;
    }

    /** Every line handed to the parser. */
    public long lines() {
        return lines;
    }

    /** Delivery results emitted (an expiry can emit several for one line). */
    public long results() {
        return results;
    }

    /** MTA lines understood that are not results (queue manager, connection notes, notifications). */
    public long contextLines() {
        return context;
    }

    public long inboundRejects() {
        return inboundRejects;
    }

    /** Lines that had bytes which are not UTF-8 (replaced by U+FFFD, then parsed as usual). */
    public long invalidUtf8Lines() {
        return invalidUtf8;
    }

    public long skipped() {
        long total = 0;
        for (long s : skipped) {
            total += s;
        }
        return total;
    }

    public long skipped(SkipReason reason) {
        return skipped[reason.ordinal()];
    }

    public Map<SkipReason, Long> skippedByReason() {
        Map<SkipReason, Long> map = new EnumMap<>(SkipReason.class);
        for (SkipReason r : SkipReason.values()) {
            map.put(r, skipped[r.ordinal()]);
        }
        return map;
    }

    public long lines(Mta mta) {
        return linesByMta[mta.ordinal()];
    }

    public long results(Mta mta) {
        return resultsByMta[mta.ordinal()];
    }

    /** {@code N lines, M results, K skipped}: the line the CLI prints on stderr. */
    public String summary() {
        return lines + " lines, " + results + " results, " + skipped() + " skipped";
    }

    /** The detail behind {@link #summary()}, for humans. */
    public String details() {
        StringBuilder sb = new StringBuilder();
        for (Mta mta : Mta.values()) {
            if (linesByMta[mta.ordinal()] > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(mta.wireName()).append(": ")
                        .append(linesByMta[mta.ordinal()]).append(" lines, ").append(resultsByMta[mta.ordinal()]).append(" results");
            }
        }
        sb.append(sb.length() == 0 ? "" : "; ").append("context ").append(context).append(", inbound rejects ").append(inboundRejects);
        for (SkipReason r : SkipReason.values()) {
            if (skipped[r.ordinal()] > 0) {
                sb.append(", ").append(r.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).append(' ').append(skipped[r.ordinal()]);
            }
        }
        if (invalidUtf8 > 0) {
            sb.append(", invalid UTF-8 replaced in ").append(invalidUtf8).append(" lines");
        }
        return sb.toString();
    }
}
