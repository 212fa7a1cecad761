package dev.bouncewatch.agent.http;

import com.sun.net.httpserver.HttpExchange;
import dev.bouncewatch.agent.store.Stats;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoreReader;
import dev.bouncewatch.testmta.http.ApiException;
import dev.bouncewatch.testmta.http.Exchanges;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/stats?window=1h&bucket=5m&domains=20}: counts and rates over the last window. The
 * window ends at the end of the bucket now is in (buckets are aligned to the epoch), so successive
 * calls draw the same bucket boundaries and a chart does not jitter between refreshes; the newest
 * bucket is still filling.
 */
final class StatsEndpoint {

    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    static final int DEFAULT_DOMAINS = 20;
    static final int MAX_DOMAINS = 1000;
    /** A timeline longer than this is more points than any chart can show. */
    static final int MAX_BUCKETS = 1000;
    /** Default bucket widths, smallest first: the first that gives at most {@link #TARGET_BUCKETS}. */
    private static final List<Duration> NICE_BUCKETS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6),
            Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(7));
    private static final int TARGET_BUCKETS = 60;
    private static final Set<String> PARAMETERS = Set.of("window", "bucket", "domains");

    private final StoreReader store;
    private final Clock clock;

    StatsEndpoint(StoreReader store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void get(HttpExchange ex) throws IOException, ApiException {
        QueryParams q = QueryParams.of(ex, PARAMETERS);
        Duration window = q.duration("window", DEFAULT_WINDOW, Duration.ofMinutes(1), QueryParams.MAX_DURATION);
        Duration bucket = q.duration("bucket", defaultBucket(window), Duration.ofSeconds(1), window);
        if (window.getSeconds() / bucket.getSeconds() > MAX_BUCKETS) {
            throw new ApiException(400, "bucket: " + QueryParams.format(bucket) + " gives more than " + MAX_BUCKETS
                    + " buckets over a window of " + QueryParams.format(window) + "; choose a wider bucket");
        }
        if (window.getSeconds() % bucket.getSeconds() != 0) {
            throw new ApiException(400, "bucket: " + QueryParams.format(bucket) + " does not divide the window of "
                    + QueryParams.format(window) + " evenly");
        }
        int domains = q.integer("domains", DEFAULT_DOMAINS, 1, MAX_DOMAINS);
        Instant until = windowEnd(clock.instant(), bucket);
        Instant since = until.minus(window);
        Stats stats;
        try {
            stats = store.stats(since, until, bucket, domains);
        } catch (StoreException e) {
            throw new ApiException(503, "the store could not be read: " + e.getMessage());
        }
        Exchanges.sendJson(ex, 200, ApiJson.bytes(g -> ApiJson.stats(g, stats, bucket.getSeconds())));
    }

    /** The first bucket boundary (counted from the epoch) at or after now. */
    static Instant windowEnd(Instant now, Duration bucket) {
        long width = bucket.toMillis();
        return Instant.ofEpochMilli(-Math.floorDiv(-now.toEpochMilli(), width) * width);
    }

    static Duration defaultBucket(Duration window) {
        for (Duration d : NICE_BUCKETS) {
            if (window.getSeconds() / d.getSeconds() <= TARGET_BUCKETS) {
                return d;
            }
        }
        return NICE_BUCKETS.get(NICE_BUCKETS.size() - 1);
    }
}
