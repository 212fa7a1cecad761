package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.model.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Results per hour; coarsened to days when the span is long. Hourly buckets are kept while they fit
 * under a cap (about 400 days), so memory does not grow with the file, only with the time it covers.
 */
final class BounceTimeline {

    static final long HOUR = 3600;
    static final long DAY = 86_400;
    /** Spans up to this long are drawn per hour, longer ones per day. */
    static final Duration HOURLY_UP_TO = Duration.ofDays(3);
    private static final int MAX_BUCKETS = 10_000;

    private final TreeMap<Long, long[]> buckets = new TreeMap<>();
    private long bucketSeconds = HOUR;
    private long undated;

    void record(Instant time, DeliveryStatus status) {
        if (time == null) {
            undated++;
            return;
        }
        long start = Math.floorDiv(time.getEpochSecond(), bucketSeconds) * bucketSeconds;
        long[] counts = buckets.get(start);
        if (counts == null) {
            if (buckets.size() >= MAX_BUCKETS && !coarsen()) {
                undated++; // timestamps spread over decades: garbage, not worth a bucket
                return;
            }
            start = Math.floorDiv(time.getEpochSecond(), bucketSeconds) * bucketSeconds;
            counts = buckets.computeIfAbsent(start, k -> new long[DeliveryStatus.values().length]);
        }
        counts[status.ordinal()]++;
    }

    /** Switches from hours to days; false when already per day. */
    private boolean coarsen() {
        if (bucketSeconds == DAY) {
            return false;
        }
        TreeMap<Long, long[]> days = regroup(buckets, DAY);
        buckets.clear();
        buckets.putAll(days);
        bucketSeconds = DAY;
        return buckets.size() < MAX_BUCKETS;
    }

    private static TreeMap<Long, long[]> regroup(TreeMap<Long, long[]> source, long size) {
        TreeMap<Long, long[]> out = new TreeMap<>();
        for (Map.Entry<Long, long[]> e : source.entrySet()) {
            long[] target = out.computeIfAbsent(Math.floorDiv(e.getKey(), size) * size,
                    k -> new long[e.getValue().length]);
            for (int i = 0; i < target.length; i++) {
                target[i] += e.getValue()[i];
            }
        }
        return out;
    }

    Report.Timeline snapshot() {
        if (buckets.isEmpty()) {
            return new Report.Timeline(bucketSeconds, List.of(), undated);
        }
        long size = bucketSeconds;
        TreeMap<Long, long[]> view = buckets;
        long span = buckets.lastKey() - buckets.firstKey() + bucketSeconds;
        if (size == HOUR && span > HOURLY_UP_TO.getSeconds()) {
            size = DAY;
            view = regroup(buckets, DAY);
        }
        List<Report.Bucket> out = new ArrayList<>();
        long[] empty = new long[DeliveryStatus.values().length];
        // Fill the gaps with empty buckets so a chart's x axis is time, not just the busy hours.
        for (long t = view.firstKey(); t <= view.lastKey(); t += size) {
            long[] c = view.getOrDefault(t, empty);
            out.add(new Report.Bucket(Instant.ofEpochSecond(t), c[DeliveryStatus.DELIVERED.ordinal()],
                    c[DeliveryStatus.DEFERRED.ordinal()], c[DeliveryStatus.BOUNCED.ordinal()],
                    c[DeliveryStatus.EXPIRED.ordinal()]));
        }
        return new Report.Timeline(size, out, undated);
    }
}
