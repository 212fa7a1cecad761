package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromHalfASecondUpToThirtySeconds() {
        Backoff backoff = new Backoff(Backoff.DEFAULTS);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            delays.add(backoff.delayAfter(Duration.ofMillis(20)).toMillis());
        }
        assertThat(delays).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L, 30000L);
    }

    @Test
    void aHealthyMinuteResetsIt() {
        Backoff backoff = new Backoff(Backoff.DEFAULTS);
        backoff.delayAfter(Duration.ZERO);
        backoff.delayAfter(Duration.ZERO);
        assertThat(backoff.delayAfter(Duration.ofSeconds(59))).isEqualTo(Duration.ofSeconds(2));

        assertThat(backoff.delayAfter(Duration.ofMinutes(1))).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delayAfter(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void rejectsSettingsThatCannotGrow() {
        assertThatThrownBy(() -> new Backoff.Settings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff.Settings(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
