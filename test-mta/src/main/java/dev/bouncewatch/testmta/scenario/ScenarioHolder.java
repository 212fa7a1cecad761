package dev.bouncewatch.testmta.scenario;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The active scenario, swapped atomically on reload. A session takes a snapshot when it starts, so
 * a reload never changes the protocol options of a session in flight.
 */
public final class ScenarioHolder {

    /** A scenario with the version it was installed as and, when known, its source text. */
    public record Installed(Scenario scenario, long version, String source) {
    }

    private final AtomicReference<Installed> current;

    public ScenarioHolder(Scenario initial, String source) {
        current = new AtomicReference<>(new Installed(Objects.requireNonNull(initial), 1, source));
    }

    public Installed current() {
        return current.get();
    }

    public Scenario scenario() {
        return current.get().scenario();
    }

    /** Installs a new scenario and returns its version. */
    public long replace(Scenario next, String source) {
        Objects.requireNonNull(next);
        return current.updateAndGet(old -> new Installed(next, old.version() + 1, source)).version();
    }
}
