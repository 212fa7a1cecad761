package dev.bouncewatch.agent.config;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * {@code notify.digest}: one {@code report.digest} a day covering the 24 hours before {@code time}.
 *
 * @param timezone the zone {@code time} is read in; the system zone by default
 */
public record DigestConfig(boolean enabled, LocalTime time, ZoneId timezone) {

    public DigestConfig {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(timezone, "timezone");
    }

    public static DigestConfig defaults() {
        return new DigestConfig(true, LocalTime.of(8, 0), ZoneId.systemDefault());
    }
}
