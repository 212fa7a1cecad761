package dev.bouncewatch.agent.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.notify.delivery.CircuitBreaker.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final Instant T = Instant.parse("2026-11-28T14:00:00Z");

    @Test
    void opensAfterTheThresholdAndProbesWithBackoff() {
        CircuitBreaker b = new CircuitBreaker(3, Duration.ofMinutes(1), Duration.ofMinutes(5));
        assertThat(b.onFailure(T)).isFalse();
        assertThat(b.onFailure(T)).isFalse();
        assertThat(b.state()).isEqualTo(State.CLOSED);
        assertThat(b.allowedFrom()).isEqualTo(Instant.MIN);
        assertThat(b.onFailure(T)).as("third failure opens").isTrue();
        assertThat(b.state()).isEqualTo(State.OPEN);
        assertThat(b.allowedFrom()).isEqualTo(T.plus(Duration.ofMinutes(1)));

        b.beforeRequest(T.plusSeconds(30)); // too early: stays open
        assertThat(b.state()).isEqualTo(State.OPEN);
        b.beforeRequest(T.plusSeconds(60));
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
        assertThat(b.onFailure(T.plusSeconds(60))).as("a failed probe is not a new opening").isFalse();
        assertThat(b.allowedFrom()).isEqualTo(T.plusSeconds(60).plus(Duration.ofMinutes(2)));

        Instant t = T.plusSeconds(180);
        for (int i = 0; i < 5; i++) {
            b.beforeRequest(t);
            b.onFailure(t);
            t = b.allowedFrom();
        }
        assertThat(Duration.between(t.minus(Duration.ofMinutes(5)), t)).isEqualTo(Duration.ofMinutes(5));
        b.beforeRequest(t);
        b.onFailure(t);
        assertThat(b.allowedFrom()).as("capped").isEqualTo(t.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aSuccessfulProbeClosesAndReportsRecovery() {
        CircuitBreaker b = new CircuitBreaker(1, Duration.ofMinutes(1), Duration.ofMinutes(5));
        assertThat(b.onSuccess()).as("already closed").isFalse();
        b.onFailure(T);
        b.beforeRequest(T.plusSeconds(61));
        assertThat(b.onSuccess()).isTrue();
        assertThat(b.state()).isEqualTo(State.CLOSED);
        assertThat(b.consecutiveFailures()).isZero();
        assertThat(b.onFailure(T.plusSeconds(70))).as("opens again from the first interval").isTrue();
        assertThat(b.allowedFrom()).isEqualTo(T.plusSeconds(130));
    }

    @Test
    void successesInBetweenResetTheCount() {
        CircuitBreaker b = new CircuitBreaker(3, Duration.ofMinutes(1), Duration.ofMinutes(5));
        b.onFailure(T);
        b.onFailure(T);
        b.onSuccess();
        b.onFailure(T);
        b.onFailure(T);
        assertThat(b.state()).isEqualTo(State.CLOSED);
    }
}
