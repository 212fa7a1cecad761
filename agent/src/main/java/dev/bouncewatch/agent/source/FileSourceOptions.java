package dev.bouncewatch.agent.source;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link FileSource} reads.
 *
 * @param pollInterval        how often the file is checked for new lines and rotation (Tailer's delay)
 * @param maxLineBytes        longer lines are cut to this many bytes (and counted)
 * @param maxBatchLines       a batch holds at most this many lines
 * @param rotationQuietPeriod a rotated-away file is read until it has not grown for this long, since
 *                            the writer may append to it until it reopens the path (rsyslog until its
 *                            HUP, postlogd until {@code postfix logrotate} reloads it)
 * @param smallFileBytes      when a stored position cannot be read, a file up to this size is read
 *                            from its start, a larger one from its end
 */
public record FileSourceOptions(Duration pollInterval, int maxLineBytes, int maxBatchLines,
                                Duration rotationQuietPeriod, long smallFileBytes) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_BATCH_LINES = 2000;
    public static final Duration DEFAULT_ROTATION_QUIET_PERIOD = Duration.ofSeconds(2);
    public static final long DEFAULT_SMALL_FILE_BYTES = 1024 * 1024;

    public FileSourceOptions {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(rotationQuietPeriod, "rotationQuietPeriod");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, not " + pollInterval);
        }
        if (rotationQuietPeriod.isNegative()) {
            throw new IllegalArgumentException("rotation quiet period must not be negative, not " + rotationQuietPeriod);
        }
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("max line bytes must be at least 16, not " + maxLineBytes);
        }
        if (maxBatchLines < 1) {
            throw new IllegalArgumentException("max batch lines must be at least 1, not " + maxBatchLines);
        }
        if (smallFileBytes < 0) {
            throw new IllegalArgumentException("small file bytes must not be negative, not " + smallFileBytes);
        }
    }

    public static FileSourceOptions defaults() {
        return new FileSourceOptions(DEFAULT_POLL_INTERVAL, DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_BATCH_LINES,
                DEFAULT_ROTATION_QUIET_PERIOD, DEFAULT_SMALL_FILE_BYTES);
    }

    public FileSourceOptions withPollInterval(Duration interval) {
        return new FileSourceOptions(interval == null ? DEFAULT_POLL_INTERVAL : interval, maxLineBytes,
                maxBatchLines, rotationQuietPeriod, smallFileBytes);
    }

    public FileSourceOptions withMaxLineBytes(int bytes) {
        return new FileSourceOptions(pollInterval, bytes, maxBatchLines, rotationQuietPeriod, smallFileBytes);
    }

    public FileSourceOptions withMaxBatchLines(int lines) {
        return new FileSourceOptions(pollInterval, maxLineBytes, lines, rotationQuietPeriod, smallFileBytes);
    }

    public FileSourceOptions withRotationQuietPeriod(Duration period) {
        return new FileSourceOptions(pollInterval, maxLineBytes, maxBatchLines, period, smallFileBytes);
    }

    public FileSourceOptions withSmallFileBytes(long bytes) {
        return new FileSourceOptions(pollInterval, maxLineBytes, maxBatchLines, rotationQuietPeriod, bytes);
    }
}
