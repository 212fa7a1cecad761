package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.model.DeliveryStatus;

/** Mutable attempt counts by status for one key (a domain, a host); snapshots are {@link Report.RateRow}. */
final class OutcomeCounts {

    private final long[] byStatus = new long[DeliveryStatus.values().length];

    void add(DeliveryStatus status) {
        byStatus[status.ordinal()]++;
    }

    long get(DeliveryStatus status) {
        return byStatus[status.ordinal()];
    }

    long attempts() {
        long sum = 0;
        for (long n : byStatus) {
            sum += n;
        }
        return sum;
    }

    void mergeInto(OutcomeCounts target) {
        for (int i = 0; i < byStatus.length; i++) {
            target.byStatus[i] += byStatus[i];
        }
    }

    Report.RateRow toRow(String key) {
        return new Report.RateRow(key, get(DeliveryStatus.DELIVERED), get(DeliveryStatus.DEFERRED),
                get(DeliveryStatus.BOUNCED), get(DeliveryStatus.EXPIRED));
    }
}
