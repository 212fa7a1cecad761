package dev.bouncewatch.testmta.events;

import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.server.TransactionListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last N transaction events in memory, for the HTTP API and tests that ask "what did the sink
 * answer?". Older events are overwritten. The lock is held only to store one reference, so event
 * loops never wait on a reader for long.
 */
public final class RecentTransactions implements TransactionListener {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final TransactionEvent[] ring;
    private long total;

    public RecentTransactions(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        ring = new TransactionEvent[capacity];
    }

    @Override
    public void onReply(TransactionEvent event) {
        synchronized (ring) {
            ring[(int) (total % ring.length)] = event;
            total++;
        }
    }

    public int capacity() {
        return ring.length;
    }

    /** Events seen since start, including those overwritten. */
    public long total() {
        synchronized (ring) {
            return total;
        }
    }

    /** Up to {@code limit} matching events, newest first. */
    public List<TransactionEvent> newest(int limit, TransactionFilter filter) {
        TransactionEvent[] snapshot;
        long end;
        synchronized (ring) {
            snapshot = ring.clone();
            end = total;
        }
        List<TransactionEvent> out = new ArrayList<>(Math.min(limit, 256));
        long start = Math.max(0, end - snapshot.length);
        for (long i = end - 1; i >= start && out.size() < limit; i--) {
            TransactionEvent e = snapshot[(int) (i % snapshot.length)];
            if (filter.matches(e)) {
                out.add(e);
            }
        }
        return out;
    }

    public void clear() {
        synchronized (ring) {
            Arrays.fill(ring, null);
            total = 0;
        }
    }
}
