package dev.bouncewatch.testmta.scenario;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import java.util.function.ToLongFunction;

/**
 * The in-memory state behind greylisting, rate buckets and sequences: keyed values with an expiry
 * time and a cap on entries. Updates are atomic per key ({@link ConcurrentHashMap#compute}) and
 * never wait for I/O, so they are safe on Netty event-loop threads. When the cap is exceeded,
 * expired entries are swept first; if that is not enough, arbitrary entries are evicted down to
 * 90 % of the cap, because a test sink must keep running under a flood of unique keys rather than
 * remember every one of them.
 *
 * @param <V> an immutable value
 */
final class ExpiringStore<V> {

    private record Entry<V>(V value, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final int capacity;
    private final AtomicBoolean trimming = new AtomicBoolean();
    private final LongAdder evictions = new LongAdder();

    ExpiringStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * Atomically replaces the live value of {@code key} ({@code null} when absent or expired) by
     * {@code change}'s result, which lives until {@code expiresAt} of it (epoch millis).
     *
     * @return the new value
     */
    V update(String key, long now, UnaryOperator<V> change, ToLongFunction<V> expiresAt) {
        Entry<V> entry = entries.compute(key, (k, old) -> {
            V current = old == null || old.expiresAt() <= now ? null : old.value();
            V next = change.apply(current);
            return new Entry<>(next, expiresAt.applyAsLong(next));
        });
        if (entries.size() > capacity) {
            trim(now);
        }
        return entry.value();
    }

    /** The live value, or null. */
    V get(String key, long now) {
        Entry<V> e = entries.get(key);
        return e == null || e.expiresAt() <= now ? null : e.value();
    }

    int size() {
        return entries.size();
    }

    long evictions() {
        return evictions.sum();
    }

    void clear() {
        entries.clear();
    }

    private void trim(long now) {
        if (!trimming.compareAndSet(false, true)) {
            return; // another thread is already making room
        }
        try {
            entries.entrySet().removeIf(e -> e.getValue().expiresAt() <= now);
            int target = Math.max(1, capacity - capacity / 10);
            Iterator<String> keys = entries.keySet().iterator();
            while (entries.size() > target && keys.hasNext()) {
                keys.next();
                keys.remove();
                evictions.increment();
            }
        } finally {
            trimming.set(false);
        }
    }
}
