package dev.bouncewatch.agent.parse;

import java.time.ZoneId;
import java.util.Objects;

/**
 * How a {@link LogParser} reads lines.
 *
 * @param mta           auto-detect per line, or force one MTA's parser
 * @param zone          the zone of timestamps that carry none (traditional syslog, Exim without +zone)
 * @param maxLineLength longer lines are skipped and counted (syslog lines are at most a few kB;
 *                      journald caps at 48k)
 */
public record ParserSettings(MtaChoice mta, ZoneId zone, int maxLineLength) {

    public static final int DEFAULT_MAX_LINE_LENGTH = 256 * 1024;

    public ParserSettings {
        Objects.requireNonNull(mta, "mta");
        Objects.requireNonNull(zone, "zone");
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be positive, got " + maxLineLength);
        }
    }

    /** Auto-detection, the system's zone, the default line limit. */
    public static ParserSettings defaults() {
        return new ParserSettings(MtaChoice.AUTO, ZoneId.systemDefault(), DEFAULT_MAX_LINE_LENGTH);
    }

    public ParserSettings withMta(MtaChoice choice) {
        return new ParserSettings(choice, zone, maxLineLength);
    }

    public ParserSettings withZone(ZoneId z) {
        return new ParserSettings(mta, z, maxLineLength);
    }
}
