package dev.bouncewatch.testmta.client;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a load run achieved.
 *
 * @param messages         messages the run was asked to send
 * @param attempted        messages whose MAIL command was sent
 * @param accepted         messages the server answered 2xx after the final dot
 * @param failed           attempted messages that were not accepted (rejected at any stage or cut off)
 * @param connections      connections the run was asked to open
 * @param connected        connections that were established
 * @param elapsed          wall time from the first connect to the last close
 * @param replies          reply counts by the command they answered, then by code
 * @param connectionErrors connections that ended abnormally, by reason (refused, timeout, closed...)
 */
public record LoadResult(
        long messages,
        long attempted,
        long accepted,
        long failed,
        int connections,
        long connected,
        Duration elapsed,
        Map<ClientStage, Map<Integer, Long>> replies,
        Map<String, Long> connectionErrors) {

    public LoadResult {
        Map<ClientStage, Map<Integer, Long>> copy = new EnumMap<>(ClientStage.class);
        replies.forEach((stage, codes) -> copy.put(stage, Map.copyOf(new TreeMap<>(codes))));
        replies = Collections.unmodifiableMap(copy);
        connectionErrors = Collections.unmodifiableMap(new TreeMap<>(connectionErrors));
    }

    /** Messages never started because their connection failed or ended early. */
    public long unsent() {
        return messages - attempted;
    }

    /** Completed transactions (accepted or not) per second of wall time. */
    public double messagesPerSecond() {
        return perSecond(accepted + failed);
    }

    public double acceptedPerSecond() {
        return perSecond(accepted);
    }

    /** How often {@code code} answered {@code stage}; 0 when never. */
    public long count(ClientStage stage, int code) {
        return replies.getOrDefault(stage, Map.of()).getOrDefault(code, 0L);
    }

    /** All replies to {@code stage}, any code. */
    public long count(ClientStage stage) {
        return replies.getOrDefault(stage, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    public long connectionErrorCount() {
        return connectionErrors.values().stream().mapToLong(Long::longValue).sum();
    }

    private double perSecond(long n) {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : n / seconds;
    }
}
