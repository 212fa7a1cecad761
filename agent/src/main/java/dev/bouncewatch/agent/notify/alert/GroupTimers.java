package dev.bouncewatch.agent.notify.alert;

import java.time.Duration;

/**
 * Alertmanager's timers. {@code groupWait}: a new alert waits this long before its first message, so
 * a flapping condition stays quiet and a blocklisting that explains it has time to show up.
 * {@code groupInterval}: at most one message per group this often (escalations and resolved
 * messages wait for it). {@code repeatInterval}: an unchanged firing alert is repeated this often.
 */
public record GroupTimers(Duration groupWait, Duration groupInterval, Duration repeatInterval) {

    /** How long a group stays listed after its resolved message. */
    public static final Duration KEEP_RESOLVED = Duration.ofHours(24);

    public static GroupTimers defaults() {
        return new GroupTimers(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4));
    }
}
