package dev.bouncewatch.testmta.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DurationsTest {

    private static final Duration MAX = Duration.ofDays(400);

    @ParameterizedTest
    @CsvSource({"0, PT0S", "250ms, PT0.25S", "30s, PT30S", "5M, PT5M", "1h30m, PT1H30M", "2d, PT48H", "2w, PT336H",
            "' 1d12h ', PT36H"})
    void parsesUnitsAndCombinations(String text, String iso) {
        assertThat(Durations.parse(text, MAX, "30s")).isEqualTo(Duration.parse(iso));
    }

    @Test
    void errorsSayWhatWasExpectedWithTheCallersExamples() {
        assertThatThrownBy(() -> Durations.parse("30", MAX, "30s or 5m"))
                .hasMessage("expected a duration like 30s or 5m (a number needs a unit), got '30'");
        assertThatThrownBy(() -> Durations.parse("1.5h", MAX, "30s")).hasMessageContaining("got '1.5h'");
        assertThatThrownBy(() -> Durations.parse("30s5", MAX, "30s")).hasMessageContaining("got '30s5'");
        assertThatThrownBy(() -> Durations.parse("", MAX, "30s")).hasMessageContaining("got ''");
        assertThatThrownBy(() -> Durations.parse("401d", MAX, "30s")).hasMessage("duration '401d' is longer than the maximum of 400d");
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0s", "PT0.25S, 250ms", "PT1H30M, 1h30m", "P30D, 30d", "PT25H0.5S, 1d1h500ms"})
    void formatsAsAUserWouldWrite(String iso, String text) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
        assertThat(Durations.parse(text, MAX, "30s")).isEqualTo(Duration.parse(iso));
    }
}
