package dev.bouncewatch.agent.notify.slack;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Slack allows about one message per second per incoming webhook, with short bursts, and may
 * disable an app that keeps sending past the limit. One bucket per webhook URL (shared by every
 * destination that posts to it) hands out reservations: a caller takes a token now or learns how
 * long to wait for it. A 429 empties the bucket and holds it closed for the Retry-After time.
 */
public final class TokenBucket {

    private final LongSupplier nanoTime;
    private final double tokensPerNano;
    private final double capacity;
    private double tokens;
    /** Tokens accrue from here on; after a hold-off this lies in the future. */
    private long refilledAt;

    public TokenBucket(double perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.nanoTime = nanoTime;
        this.tokensPerNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a token and returns how many nanoseconds to wait before using it (0: go now). */
    public synchronized long reserve() {
        long now = nanoTime.getAsLong();
        if (now > refilledAt) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
            refilledAt = now;
        }
        tokens -= 1;
        long ready = refilledAt + (tokens >= 0 ? 0 : (long) Math.ceil(-tokens / tokensPerNano));
        return Math.max(0, ready - now);
    }

    /** Slack said 429: nothing more until {@code wait} has passed, and then no saved-up burst. */
    public synchronized void holdOff(Duration wait) {
        long until = nanoTime.getAsLong() + Math.max(0, wait.toNanos());
        tokens = Math.min(tokens, 0);
        refilledAt = Math.max(refilledAt, until);
    }

    /** Whole tokens available right now, for tests and health. */
    public synchronized int available() {
        long now = nanoTime.getAsLong();
        double t = now > refilledAt ? Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano) : tokens;
        return (int) Math.floor(Math.max(0, t));
    }
}
