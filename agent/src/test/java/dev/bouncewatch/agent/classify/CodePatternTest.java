package dev.bouncewatch.agent.classify;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class CodePatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "5.7.26, 5.7.26, true", "5.7.26, 4.7.26, false", "x.7.26, 4.7.26, true", "x.7.26, 5.7.26, true",
            "5.7.6xx, 5.7.606, true", "5.7.6xx, 5.7.60, false", "5.7.6xx, 5.7.706, false",
            "5.7.*, 5.7.1, true", "5.7.*, 5.7.650, true", "5.7.*, 5.7., false", "5.7.*, 5.6.1, false",
            "x.1.1, 5.1.10, false", "x.1.10, 5.1.10, true", "x.6.*, 5.6.0, true"})
    void matchesEnhancedCodes(String pattern, String code, boolean expected) {
        assertThat(CodePattern.enhanced(pattern).matches(code)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({"550, 550, true", "55x, 554, true", "55x, 545, false", "5xx, 421, false", "4xx, 421, true"})
    void matchesReplyCodes(String pattern, String code, boolean expected) {
        assertThat(CodePattern.reply(pattern).matches(code)).isEqualTo(expected);
    }
}
