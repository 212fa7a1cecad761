package dev.bouncewatch.testmta.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open sessions, globally and per client address (like James' two limit handlers). */
final class ConnectionLimits {

    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentMap<String, Integer> perAddress = new ConcurrentHashMap<>();

    /**
     * Takes a slot unless a limit (0 = unlimited) is reached; a taken slot must be
     * {@link #release released}.
     */
    boolean tryAcquire(String address, int maxTotal, int maxPerAddress) {
        if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
            total.decrementAndGet();
            return false;
        }
        int mine = perAddress.merge(address, 1, Integer::sum);
        if (maxPerAddress > 0 && mine > maxPerAddress) {
            release(address);
            return false;
        }
        return true;
    }

    void release(String address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
    }

    int active() {
        return total.get();
    }
}
