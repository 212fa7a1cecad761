package dev.bouncewatch.testmta.scenario;

import static dev.bouncewatch.testmta.scenario.ScenarioTesting.replyOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.session.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped example loads, and the main ones behave as their comments promise. */
class ExamplesTest {

    static final Path EXAMPLES = Paths.get("examples");

    static Stream<Path> examples() throws Exception {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    private final ManualClock clock = new ManualClock();

    private RuleScenario example(String name) throws ScenarioException {
        return new ScenarioLoader(clock).load(EXAMPLES.resolve(name));
    }

    @Test
    void theExpectedExamplesExist() throws Exception {
        assertThat(examples().map(p -> p.getFileName().toString())).contains("staging-defaults.yml", "greylisting.yml",
                "provider-outage.yml", "blocklisted-ip.yml", "throttling.yml", "unknown-users.yml", "dmarc-failure.yml",
                "flaky-network.yml");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void loadsAndIsCommented(Path file) throws Exception {
        RuleScenario s = new ScenarioLoader(clock).load(file);
        assertThat(s.ruleIds()).as(file.toString()).isNotEmpty();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).as("starts with a comment saying what it is").startsWith("# " + file.getFileName());
        assertThat(Scenarios.describe(s).rules()).allSatisfy(r -> assertThat(r.then()).isNotBlank());
    }

    @Test
    void stagingDefaultsBouncesUnknownUsers() throws Exception {
        RuleScenario s = example("staging-defaults.yml");
        assertThat(replyOf(s.decide(FakeContext.rcpt("bounce-17@example.org"))).enhancedCode()).isEqualTo("5.1.1");
        assertThat(replyOf(s.decide(FakeContext.rcpt("550-5.7.1@example.org"))).code()).isEqualTo(550);
    }

    @Test
    void greylistingExampleDefersThenPasses() throws Exception {
        RuleScenario s = example("greylisting.yml");
        FakeContext ctx = FakeContext.rcpt("nobody@partner.example").withMailFrom("a@sender.example");
        assertThat(replyOf(s.decide(ctx)).code()).isEqualTo(450);
        assertThat(s.decide(ctx.withMailFrom("a@internal.example"))).isInstanceOf(Outcome.Proceed.class);
        clock.advance(Duration.ofMinutes(6));
        assertThat(s.decide(ctx).ruleId()).isEqualTo("unknown-after-greylist");
    }

    @Test
    void providerOutageNeverAccepts() throws Exception {
        RuleScenario s = example("provider-outage.yml");
        for (int i = 0; i < 50; i++) {
            Outcome o = s.decide(FakeContext.at(Stage.DATA_END).withRecipients("a@x.example").withSession("s" + i));
            assertThat(replyOf(o).code()).isEqualTo(451);
        }
    }

    @Test
    void blocklistedIpExampleMatchesByAddress() throws Exception {
        RuleScenario s = example("blocklisted-ip.yml");
        assertThat(replyOf(s.decide(FakeContext.rcpt("a@x.example").withClient("2001:db8:25::9"))).text())
                .contains("blocked using zen.spamhaus.org");
        assertThat(s.decide(FakeContext.rcpt("a@x.example").withClient("127.0.0.1"))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void throttlingExampleLimitsAFastSender() throws Exception {
        RuleScenario s = example("throttling.yml");
        FakeContext mail = FakeContext.at(Stage.MAIL).withClient("192.0.2.50");
        for (int i = 0; i < 10; i++) {
            assertThat(s.decide(mail)).isSameAs(Outcome.PROCEED);
        }
        assertThat(replyOf(s.decide(mail)).enhancedCode()).isEqualTo("4.7.650");
    }
}
