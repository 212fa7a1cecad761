package dev.bouncewatch.agent.notify.delivery;

import dev.bouncewatch.agent.notify.Destination;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the outbox workers pace themselves. The defaults are what the agent runs with; tests shorten
 * the schedules.
 *
 * @param pollInterval    a worker looks at its queue at least this often (entries queued by another
 *                        process, e.g. {@code notify test} or {@code outbox replay}, are found this way)
 * @param schedule        the retry schedule of a destination
 * @param breaker         a new circuit breaker for a destination
 * @param firstPauseProbe a paused destination is tried again after this, doubling up to {@code maxPauseProbe}
 */
public record DeliverySettings(Duration pollInterval, Function<Destination, RetrySchedule> schedule,
                               Supplier<CircuitBreaker> breaker, Duration firstPauseProbe, Duration maxPauseProbe) {

    public static DeliverySettings defaults() {
        return new DeliverySettings(Duration.ofSeconds(1), d -> RetrySchedule.forKind(d.kind()), CircuitBreaker::defaults,
                Duration.ofMinutes(5), Duration.ofHours(1));
    }

    public DeliverySettings withSchedule(RetrySchedule s) {
        return new DeliverySettings(pollInterval, d -> s, breaker, firstPauseProbe, maxPauseProbe);
    }

    public DeliverySettings withBreaker(Supplier<CircuitBreaker> b) {
        return new DeliverySettings(pollInterval, schedule, b, firstPauseProbe, maxPauseProbe);
    }

    public DeliverySettings withPauseProbe(Duration first, Duration max) {
        return new DeliverySettings(pollInterval, schedule, breaker, first, max);
    }

    public DeliverySettings withPollInterval(Duration poll) {
        return new DeliverySettings(poll, schedule, breaker, firstPauseProbe, maxPauseProbe);
    }
}
