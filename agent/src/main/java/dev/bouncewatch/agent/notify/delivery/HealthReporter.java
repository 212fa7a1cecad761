package dev.bouncewatch.agent.notify.delivery;

/**
 * Where outbox workers report that a destination paused, is failing, recovered or lost entries. The
 * default ({@link HealthEvents}) raises an {@code agent.health} event through the other
 * destinations; the alert engine may put its own in front (e.g. to group it with source lag).
 * Called from worker threads; must not block for long and must not throw.
 */
@FunctionalInterface
public interface HealthReporter {

    void report(DestinationHealth health);

    HealthReporter NONE = health -> {
    };
}
