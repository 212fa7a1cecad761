package dev.bouncewatch.agent.notify.slack;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per webhook URL: two destinations that post to the same URL (say, one for
 * alerts and one for digests) share Slack's limit, so they share the bucket. One instance per agent.
 */
public final class SlackRateLimits {

    /** Slack's documented rate for incoming webhooks, and a small burst. */
    public static final double PER_SECOND = 1.0;
    public static final int BURST = 3;

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public SlackRateLimits() {
        this(System::nanoTime);
    }

    public SlackRateLimits(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public TokenBucket forUrl(String url) {
        return buckets.computeIfAbsent(url, u -> new TokenBucket(PER_SECOND, BURST, nanoTime));
    }
}
