package dev.bouncewatch.agent.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstThenOnePerSecond() {
        AtomicLong now = new AtomicLong(0);
        TokenBucket bucket = new TokenBucket(1.0, 3, now::get);
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(SECOND);
        assertThat(bucket.reserve()).isEqualTo(2 * SECOND);
        now.set(2 * SECOND);
        // both reservations are used up by now; the next one waits a further second
        assertThat(bucket.reserve()).isEqualTo(SECOND);
    }

    @Test
    void refillsUpToTheBurstOnly() {
        AtomicLong now = new AtomicLong(0);
        TokenBucket bucket = new TokenBucket(1.0, 3, now::get);
        now.set(3600 * SECOND);
        assertThat(bucket.available()).isEqualTo(3);
    }

    @Test
    void holdOffEmptiesTheBucketUntilRetryAfterHasPassed() {
        AtomicLong now = new AtomicLong(0);
        TokenBucket bucket = new TokenBucket(1.0, 3, now::get);
        bucket.holdOff(Duration.ofSeconds(30));
        assertThat(bucket.available()).isZero();
        assertThat(bucket.reserve()).isEqualTo(31 * SECOND);
        now.set(40 * SECOND);
        assertThat(bucket.reserve()).isZero();
    }

    @Test
    void destinationsWithTheSameUrlShareABucket() {
        SlackRateLimits limits = new SlackRateLimits(() -> 0L);
        assertThat(limits.forUrl("https://hooks.slack.com/services/A")).isSameAs(limits.forUrl("https://hooks.slack.com/services/A"));
        assertThat(limits.forUrl("https://hooks.slack.com/services/A")).isNotSameAs(limits.forUrl("https://hooks.slack.com/services/B"));
    }
}
