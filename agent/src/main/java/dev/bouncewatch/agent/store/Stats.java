package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.model.DeliveryStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Counts over a time window (by MTA time), for {@code /api/stats} and the dashboard.
 *
 * @param byStatus   every status, zero included
 * @param byCategory non-delivered results per category, largest first
 * @param byDomain   per recipient domain, most results first, at most the requested number
 * @param timeline   equal buckets from since to until, oldest first
 * @param topReasons most frequent bounce/deferral reasons, largest first
 */
public record Stats(Instant since, Instant until, long total, Map<DeliveryStatus, Long> byStatus,
                    List<Count> byCategory, List<DomainCounts> byDomain, List<Bucket> timeline,
                    List<Reason> topReasons) {

    public record Count(String key, long count) {
    }

    /** Outcomes for one recipient domain. */
    public record DomainCounts(String domain, long total, long delivered, long deferred, long bounced) {

        /** Bounced (incl. expired) share of all results, 0 when there are none. */
        public double bounceRate() {
            return total == 0 ? 0 : (double) bounced / total;
        }
    }

    /** Outcomes in [start, start + width). */
    public record Bucket(Instant start, long total, long delivered, long deferred, long bounced) {
    }

    /**
     * One reason: the category plus the enhanced code and a sample reply.
     *
     * @param sample the diagnostic of the newest result with this reason, untrusted remote text
     */
    public record Reason(String category, String dsn, String action, long count, String sample) {
    }
}
