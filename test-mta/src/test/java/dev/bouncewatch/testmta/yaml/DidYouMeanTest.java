package dev.bouncewatch.testmta.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {

    @Test
    void namesEveryCandidateWithinTwoEditsIgnoringCase() {
        assertThat(DidYouMean.suggestion("rpct", List.of("rcpt", "mail", "data"))).isEqualTo(" (did you mean rcpt?)");
        assertThat(DidYouMean.suggestion("STATEDIR", List.of("stateDir"))).isEqualTo(" (did you mean stateDir?)");
        assertThat(DidYouMean.suggestion("mal", List.of("mail", "mall", "data"))).isEqualTo(" (did you mean mail or mall?)");
        assertThat(DidYouMean.suggestion("completelydifferent", List.of("auto", "postfix"))).isEmpty();
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(DidYouMean.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(DidYouMean.editDistance("", "abc")).isEqualTo(3);
        assertThat(DidYouMean.editDistance("same", "same")).isZero();
    }
}
