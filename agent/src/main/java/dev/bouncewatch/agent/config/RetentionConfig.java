package dev.bouncewatch.agent.config;

import java.time.Duration;

/**
 * {@code retention:}.
 *
 * @param results       results older than this are deleted (default 30 days)
 * @param maxDatabase   when the database grows beyond this many bytes, the oldest results go first
 * @param pruneInterval how often pruning runs (default 1 hour)
 * @param delivered     delivered results are kept this long (default same as results); they are the bulk
 */
public record RetentionConfig(Duration results, long maxDatabase, Duration pruneInterval, Duration delivered) {

    public static final long GIB = 1024L * 1024 * 1024;

    /** 30 days of results (delivered too), at most 1 GiB, pruned every hour. */
    public static RetentionConfig defaults() {
        return new RetentionConfig(Duration.ofDays(30), GIB, Duration.ofHours(1), Duration.ofDays(30));
    }
}
