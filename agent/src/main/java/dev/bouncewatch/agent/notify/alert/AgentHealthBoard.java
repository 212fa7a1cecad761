package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.notify.alert.HealthSignals.DestinationStatus.State;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe board the running parts write their state on: outbox workers after each send
 * ({@link #delivered}, {@link #failed}, {@link #paused}), the source loop with its lag. The health
 * rules read it at each evaluation.
 */
public final class AgentHealthBoard implements HealthSignals {

    private final Clock clock;
    private final Map<String, SourceStatus> sources = new ConcurrentHashMap<>();
    private final Map<String, DestinationStatus> destinations = new ConcurrentHashMap<>();

    public AgentHealthBoard(Clock clock) {
        this.clock = clock;
    }

    public void sourceLag(String source, Duration lag, String error) {
        sources.put(source, new SourceStatus(source, lag, error));
    }

    public void delivered(String destination) {
        destinations.put(destination, new DestinationStatus(destination, State.OK, clock.instant(), null));
    }

    /** A failed attempt that will be retried; the failing time counts from the first one in a row. */
    public void failed(String destination, String detail) {
        destinations.compute(destination, (name, old) -> old != null && old.state() == State.FAILING
                ? new DestinationStatus(name, State.FAILING, old.since(), detail)
                : new DestinationStatus(name, State.FAILING, clock.instant(), detail));
    }

    public void paused(String destination, String detail) {
        destinations.compute(destination, (name, old) -> old != null && old.state() == State.PAUSED
                ? new DestinationStatus(name, State.PAUSED, old.since(), detail)
                : new DestinationStatus(name, State.PAUSED, clock.instant(), detail));
    }

    /** An operator resumed it or the config changed. */
    public void resumed(String destination) {
        destinations.remove(destination);
    }

    @Override
    public List<SourceStatus> sources() {
        return List.copyOf(sources.values());
    }

    @Override
    public List<DestinationStatus> destinations() {
        return List.copyOf(destinations.values());
    }
}
