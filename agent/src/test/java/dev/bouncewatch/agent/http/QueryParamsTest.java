package dev.bouncewatch.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParamsTest {

    @ParameterizedTest
    @CsvSource({"30s, 30", "5m, 300", "1h, 3600", "1h30m, 5400", "7d, 604800", "2w, 1209600", "1D, 86400",
            "1d2h3m4s, 93784"})
    void readsDurations(String text, long seconds) {
        assertThat(QueryParams.parseDuration(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0s", "0h0m", "1", "h", "1x", "1m1h", "-1h", "1.5h", "99999999d", "1h 30m", "PT1H"})
    void refusesWhatIsNotADuration(String text) {
        assertThat(QueryParams.parseDuration(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"30s", "5m", "1h30m", "6d", "2w", "1w1d1h1m1s"})
    void formatsDurationsSoTheyReadBack(String text) {
        Duration d = QueryParams.parseDuration(text);
        assertThat(QueryParams.parseDuration(QueryParams.format(d))).isEqualTo(d);
        assertThat(QueryParams.format(d)).isEqualTo(text);
    }
}
