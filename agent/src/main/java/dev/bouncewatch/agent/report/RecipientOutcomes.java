package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts each recipient of each message once, by its final outcome: deferred three times then
 * delivered is one delivered recipient. Only recipients still waiting (deferred so far) are
 * remembered, so memory follows the queue, not the log; when more than {@code capacity} wait at once
 * the least recently deferred one is counted as still deferred and forgotten (then the counts are no
 * longer exact, which {@link #exact()} reports).
 */
final class RecipientOutcomes {

    private final long[] finals = new long[DeliveryStatus.values().length];
    private final Map<String, Boolean> pending;
    private long forgotten;

    RecipientOutcomes(int capacity) {
        this.pending = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                if (size() > capacity) {
                    finals[DeliveryStatus.DEFERRED.ordinal()]++;
                    forgotten++;
                    return true;
                }
                return false;
            }
        };
    }

    void record(DeliveryResult result) {
        String key = key(result);
        if (result.status() == DeliveryStatus.DEFERRED) {
            if (key == null) {
                finals[DeliveryStatus.DEFERRED.ordinal()]++;
            } else {
                pending.put(key, Boolean.TRUE);
            }
            return;
        }
        if (key != null) {
            pending.remove(key);
        }
        finals[result.status().ordinal()]++;
    }

    /** The same recipient in another message is another delivery: key on queue id and address. */
    private static String key(DeliveryResult r) {
        if (r.recipient() == null && r.queueId() == null) {
            return null;
        }
        String rcpt = r.recipient() == null ? "" : r.recipient().toLowerCase(Locale.ROOT);
        return (r.queueId() == null ? "" : r.queueId()) + ' ' + rcpt;
    }

    Map<DeliveryStatus, Long> byFinalOutcome() {
        Map<DeliveryStatus, Long> out = new EnumMap<>(DeliveryStatus.class);
        for (DeliveryStatus s : DeliveryStatus.values()) {
            out.put(s, finals[s.ordinal()] + (s == DeliveryStatus.DEFERRED ? pending.size() : 0));
        }
        return out;
    }

    boolean exact() {
        return forgotten == 0;
    }
}
