package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.model.DeliveryStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A finished report: an immutable snapshot of {@link ReportBuilder}, what the renderers draw.
 *
 * @param firstSeen          time of the earliest result, null when no result had a time
 * @param lastSeen           time of the latest result
 * @param sources            the inputs read, with line counts, in the order given
 * @param attempts           delivery attempts by status (every log line that is a result)
 * @param recipients         recipients (per message) by final outcome; DEFERRED means still queued at the end
 * @param recipientsExact    false when more recipients were pending at once than tracked, so a few may count twice
 * @param categories         non-delivered attempts by classifier category, largest first
 * @param actions            non-delivered attempts by recommended action, largest first
 * @param signals            non-delivered attempts by classifier signal (greylisted, provider codes, blocklists)
 * @param domains            recipient domains with at least {@code minVolume} final outcomes, worst bounce rate first
 * @param hosts              remote hosts likewise
 * @param minVolume          the volume threshold used for domains and hosts
 * @param reasons            non-delivered reasons grouped by normalised text, most frequent first
 * @param otherReasons       attempts whose reason group was not kept (beyond the cap)
 * @param suppress           addresses to suppress (hard bounces whose action is suppress), most bounced first
 * @param suppressOmitted    hard bounces of addresses not kept because the suppress list was full
 * @param timeline           bounces and deferrals over time
 */
public record Report(
        Instant firstSeen,
        Instant lastSeen,
        List<Source> sources,
        Map<DeliveryStatus, Long> attempts,
        Map<DeliveryStatus, Long> recipients,
        boolean recipientsExact,
        List<CountRow> categories,
        List<CountRow> actions,
        List<CountRow> signals,
        List<RateRow> domains,
        List<RateRow> hosts,
        int minVolume,
        List<ReasonGroup> reasons,
        long otherReasons,
        List<SuppressedAddress> suppress,
        long suppressOmitted,
        Timeline timeline) {

    /** One input file or stream. */
    public record Source(String name, long lines, long skippedLines) {
    }

    /** A count under a name; {@code hardBounces} of them were hard bounces. */
    public record CountRow(String key, long count, long hardBounces) {
    }

    /** Attempts for a domain or host by status. */
    public record RateRow(String key, long delivered, long deferred, long bounced, long expired) {

        /** Attempts that ended the recipient's delivery (delivered, bounced, expired). */
        public long finals() {
            return delivered + bounced + expired;
        }

        public long attempts() {
            return finals() + deferred;
        }

        /** Share of final outcomes that failed, 0..1. */
        public double bounceRate() {
            long finals = finals();
            return finals == 0 ? 0 : (double) (bounced + expired) / finals;
        }
    }

    /**
     * Reasons that read the same once addresses, numbers, ids and IPs are masked.
     *
     * @param pattern   the normalised text ({@code <addr>}, {@code <n>}, {@code <ip>} ...)
     * @param example   one full original text
     * @param count     attempts with this reason
     * @param bounced   of which bounced or expired
     * @param category  the category of the first example
     * @param action    the action of the first example
     * @param advice    the advice of the first example
     * @param domains   distinct recipient domains seen with it (counted up to a small cap)
     */
    public record ReasonGroup(String pattern, String example, long count, long bounced, String category,
                              String action, String advice, int domains) {
    }

    /** An address to stop sending to; {@code reason} is the normalised form of its last reason. */
    public record SuppressedAddress(String address, long bounces, String category, String reason,
                                    Instant lastSeen) {
    }

    /**
     * Counts over time in buckets of {@code bucketSeconds} (an hour or a day, chosen by the span).
     *
     * @param undated results without a time
     */
    public record Timeline(long bucketSeconds, List<Bucket> buckets, long undated) {
    }

    /** One time bucket. */
    public record Bucket(Instant start, long delivered, long deferred, long bounced, long expired) {

        public long failed() {
            return bounced + expired;
        }
    }

    public long totalAttempts() {
        return attempts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalRecipients() {
        return recipients.values().stream().mapToLong(Long::longValue).sum();
    }
}
