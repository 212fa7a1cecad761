package dev.bouncewatch.testmta.scenario;

import static dev.bouncewatch.testmta.scenario.ScenarioTesting.replyOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.scenario.MagicAddresses.Request;
import dev.bouncewatch.testmta.smtp.Reply;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MagicAddressesTest {

    private final RuleScenario defaults = Scenarios.defaults();

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "550@x.test, 550, -",
            "550-5.1.1@x.test, 550, 5.1.1",
            "451-4.7.1-anything@x.test, 451, 4.7.1",
            "452.4.2.2+tag@x.test, 452, 4.2.2",
            "421@x.test, 421, -",
            "250@x.test, 250, -",
            "550-whatever@x.test, 550, -",
            "553+tag@x.test, 553, -",
            "tempfail@x.test, 451, 4.3.0",
            "TempFail+42@x.test, 451, 4.3.0",
            "permfail@x.test, 550, 5.1.1",
            "permfail-x@x.test, 550, 5.1.1",
            "\"550-5.7.1\"@x.test, 550, 5.7.1"})
    void parsesEveryMagicForm(String address, int code, String esc) {
        assertThat(MagicAddresses.parse(address)).contains(new Request(code, esc));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5500@x.test", "abc550@x.test", "550abc@x.test", "55@x.test", "650@x.test", "150@x.test",
            "550-4.1.1@x.test", "x550-5.1.1@x.test", "tempfailure@x.test", "my-permfail@x.test", "alice@550.test",
            "550.5.1@x.test", "220@x.test", "221@x.test", "252@x.test", "200@x.test", ""})
    void lookAlikesAreOrdinaryAddresses(String address) {
        assertThat(MagicAddresses.parse(address)).isEmpty();
        assertThat(defaults.decide(FakeContext.rcpt(address))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void bareCodeGetsARealisticTextFromTheCatalogue() {
        Reply r = replyOf(defaults.decide(FakeContext.rcpt("550@x.test")));
        assertThat(r.code()).isEqualTo(550);
        assertThat(r.enhancedCode()).isEqualTo("5.1.1");
        assertThat(r.text()).contains("The email account that you tried to reach does not exist");
        assertThat(r.lines()).hasSize(4);
    }

    @Test
    void codeWithEnhancedCodeFindsTheMatchingEntry() {
        Reply r = replyOf(defaults.decide(FakeContext.rcpt("452-4.2.2@x.test")));
        assertThat(r.text()).contains("out of storage space");
        Reply spam = replyOf(defaults.decide(FakeContext.rcpt("550-5.7.1@x.test")));
        assertThat(spam.enhancedCode()).isEqualTo("5.7.1");
        assertThat(spam.text()).contains("reputation");
    }

    @Test
    void unknownCombinationFallsBackToTheRfcTextWithTheAskedEnhancedCode() {
        Reply r = replyOf(defaults.decide(FakeContext.rcpt("554-5.3.0@x.test")));
        assertThat(r.code()).isEqualTo(554);
        assertThat(r.enhancedCode()).isEqualTo("5.3.0");
        assertThat(r.text()).isEqualTo("Transaction failed");
        Reply odd = replyOf(defaults.decide(FakeContext.rcpt("557@x.test")));
        assertThat(odd.code()).isEqualTo(557);
        assertThat(odd.text()).isEqualTo("Requested action not taken");
    }

    @Test
    void tempfailAndPermfail() {
        Reply temp = replyOf(defaults.decide(FakeContext.rcpt("tempfail@x.test")));
        assertThat(temp.code()).isEqualTo(451);
        assertThat(temp.enhancedCode()).isEqualTo("4.3.0");
        assertThat(temp.text()).isEqualTo("<tempfail@x.test>: Temporary local problem - please try later");
        Reply perm = replyOf(defaults.decide(FakeContext.rcpt("permfail@x.test")));
        assertThat(perm.code()).isEqualTo(550);
        assertThat(perm.enhancedCode()).isEqualTo("5.1.1");
    }

    @Test
    void code421ClosesTheConnection() {
        Outcome o = defaults.decide(FakeContext.rcpt("421@x.test"));
        assertThat(((Outcome.Respond) o).close()).isTrue();
        assertThat(replyOf(o).text()).isEqualTo("Try again later, closing connection.");
        assertThat(((Outcome.Respond) defaults.decide(FakeContext.rcpt("451@x.test"))).close()).isFalse();
    }

    @Test
    void twoHundredCodesAccept() {
        Outcome o = defaults.decide(FakeContext.rcpt("250@x.test"));
        assertThat(replyOf(o).isPositive()).isTrue();
        assertThat(replyOf(o).enhancedCode()).isEqualTo("2.0.0");
        assertThat(replyOf(defaults.decide(FakeContext.rcpt("251@x.test"))).code()).isEqualTo(251);
    }
}
