package dev.bouncewatch.agent.notify.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * Stops hammering a destination that keeps failing. After {@code threshold} consecutive failures
 * the circuit opens: nothing is sent until the probe time, then one request goes through
 * (half-open). Its success closes the circuit; its failure opens it again with twice the wait, up
 * to {@code maxProbeInterval}. Entries are never dropped because of it: they stay pending and keep
 * their own retry schedule, and the worker waits for whichever of the two is later.
 *
 * <p>Changed by one worker thread only; other threads may read its state.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final Duration firstProbeInterval;
    private final Duration maxProbeInterval;

    // volatile: a status snapshot reads them from another thread
    private volatile State state = State.CLOSED;
    private volatile int consecutiveFailures;
    private Duration probeInterval;
    private volatile Instant openUntil = Instant.MIN;

    public CircuitBreaker(int threshold, Duration firstProbeInterval, Duration maxProbeInterval) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        this.threshold = threshold;
        this.firstProbeInterval = firstProbeInterval;
        this.maxProbeInterval = maxProbeInterval;
        this.probeInterval = firstProbeInterval;
    }

    /** Five failures in a row open it; probes every minute, backing off to every five minutes. */
    public static CircuitBreaker defaults() {
        return new CircuitBreaker(5, Duration.ofMinutes(1), Duration.ofMinutes(5));
    }

    /** The earliest time a request may go out; {@link Instant#MIN} when closed. */
    public Instant allowedFrom() {
        return state == State.OPEN ? openUntil : Instant.MIN;
    }

    /** Called just before a request goes out at {@code now}; moves an expired open circuit to half-open. */
    public void beforeRequest(Instant now) {
        if (state == State.OPEN && !now.isBefore(openUntil)) {
            state = State.HALF_OPEN;
        }
    }

    /** @return true when this closed a circuit that was open or half-open (the destination recovered) */
    public boolean onSuccess() {
        boolean recovered = state != State.CLOSED;
        state = State.CLOSED;
        consecutiveFailures = 0;
        probeInterval = firstProbeInterval;
        return recovered;
    }

    /** @return true when this failure opened a closed circuit (the destination just started failing) */
    public boolean onFailure(Instant now) {
        consecutiveFailures++;
        if (state == State.HALF_OPEN) {
            Duration doubled = probeInterval.multipliedBy(2);
            probeInterval = doubled.compareTo(maxProbeInterval) > 0 ? maxProbeInterval : doubled;
            state = State.OPEN;
            openUntil = now.plus(probeInterval);
            return false;
        }
        if (state == State.CLOSED && consecutiveFailures >= threshold) {
            state = State.OPEN;
            openUntil = now.plus(probeInterval);
            return true;
        }
        return false;
    }

    public State state() {
        return state;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }
}
