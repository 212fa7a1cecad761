package dev.bouncewatch.agent.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @Test
    void webhookScheduleSpansAboutADayThenGivesUp() {
        RetrySchedule s = RetrySchedule.WEBHOOK;
        assertThat(s.maxAttempts()).isEqualTo(8);
        Duration total = s.delays().stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(total).isBetween(Duration.ofHours(27), Duration.ofHours(28));
        assertThat(s.next(8, null, new Random(1))).isEmpty();
        assertThat(s.next(7, null, new Random(1))).isPresent();
    }

    @Test
    void slackScheduleSpansAboutAnHour() {
        Duration total = RetrySchedule.SLACK.delays().stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(total).isBetween(Duration.ofMinutes(50), Duration.ofMinutes(60));
        assertThat(RetrySchedule.forKind("slack")).isSameAs(RetrySchedule.SLACK);
        assertThat(RetrySchedule.forKind("webhook")).isSameAs(RetrySchedule.WEBHOOK);
    }

    @Test
    void everyStepHasJitterWithinTwentyPercent() {
        Random random = new Random(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long ms = RetrySchedule.WEBHOOK.next(2, null, random).orElseThrow().toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isGreaterThanOrEqualTo(240_000).isLessThan(250_000);
        assertThat(max).isLessThanOrEqualTo(360_000).isGreaterThan(350_000);
    }

    @Test
    void retryAfterWinsOnlyWhenLongerAndIsCappedAtAnHour() {
        RetrySchedule noJitter = new RetrySchedule(RetrySchedule.WEBHOOK.delays(), 0);
        Random r = new Random(0);
        assertThat(noJitter.next(1, Duration.ofSeconds(60), r)).contains(Duration.ofSeconds(60));
        assertThat(noJitter.next(1, Duration.ofSeconds(2), r)).contains(Duration.ofSeconds(5));
        assertThat(noJitter.next(1, Duration.ofDays(2), r)).contains(Duration.ofHours(1));
        assertThat(noJitter.next(8, Duration.ofSeconds(60), r)).isEmpty(); // Retry-After does not add attempts
    }

    @Test
    void retryAfterHeaderForms() {
        Instant now = Instant.parse("2026-11-28T14:00:00Z");
        assertThat(RetryAfter.parse("30", now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse(" 0 ", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("99999999999999999999999", now)).contains(RetryAfter.MAX);
        assertThat(RetryAfter.parse("Sat, 28 Nov 2026 14:00:30 GMT", now)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Sat, 28 Nov 2026 13:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("-5", now)).isEqualTo(Optional.empty());
        assertThat(RetryAfter.parse("", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
    }
}
