package dev.bouncewatch.testmta.client;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters every session of a run adds to; thread-safe, read once at the end as a {@link LoadResult}. */
final class LoadStats {

    /** Error texts come from the network stack; cap them so a flood of distinct ones stays small. */
    static final int MAX_ERROR_KINDS = 64;

    private final LongAdder attempted = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder connected = new LongAdder();
    private final ConcurrentMap<ClientStage, ConcurrentMap<Integer, LongAdder>> replies = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> errors = new ConcurrentHashMap<>();

    void connected() {
        connected.increment();
    }

    void attempted() {
        attempted.increment();
    }

    void finished(boolean wasAccepted) {
        (wasAccepted ? accepted : failed).increment();
    }

    void reply(ClientStage stage, int code) {
        replies.computeIfAbsent(stage, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(code, c -> new LongAdder())
                .increment();
    }

    void connectionError(String reason) {
        String key = errors.size() >= MAX_ERROR_KINDS && !errors.containsKey(reason) ? "other" : reason;
        errors.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    LoadResult result(LoadOptions options, Duration elapsed) {
        Map<ClientStage, Map<Integer, Long>> tally = new EnumMap<>(ClientStage.class);
        replies.forEach((stage, codes) -> {
            Map<Integer, Long> byCode = new TreeMap<>();
            codes.forEach((code, n) -> byCode.put(code, n.sum()));
            tally.put(stage, byCode);
        });
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((reason, n) -> errorCounts.put(reason, n.sum()));
        return new LoadResult(options.messages(), attempted.sum(), accepted.sum(), failed.sum(),
                options.connections(), connected.sum(), elapsed, tally, errorCounts);
    }
}
