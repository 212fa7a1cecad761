package dev.bouncewatch.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.classify.Classifier;
import dev.bouncewatch.agent.classify.ClassifierInput;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import dev.bouncewatch.agent.parse.LogParser;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.scenario.ScenarioLoader;
import dev.bouncewatch.testmta.server.ServerSettings;
import dev.bouncewatch.testmta.server.SinkServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole read path on a log a real Postfix wrote: the Debian Postfix relays to test-mta, which
 * answers per recipient (magic addresses and scenario rules); the agent's parser and classifier
 * then read Postfix's own log and must find, per recipient, the status, reply, stage and meaning
 * the sink gave.
 */
class PostfixLogParseIT {

    private static final Path SCRIPT = Path.of("../test-mta/src/test/scripts/postfix-relay.sh").toAbsolutePath().normalize();
    private static final Path LOG = Path.of("/var/tmp/bouncewatch-it/postfix-parse.log");
    private static final String SCENARIO = """
            version: 1
            rules:
              - id: fail-once
                when: { stage: rcpt, rcpt: "retry@*" }
                then: { sequence: { steps: ["451 4.3.0 Temporary lookup failure", accept] } }
              - id: spam-after-data
                when: { stage: data_end, rcpt_domain: spam.test }
                then: { reply: "554 5.7.1 Message rejected as spam by content filter" }
              - id: blocked
                when: { stage: mail, mail_from: "blocked@*" }
                then: { reply: "@spamhaus.zen" }
            """;

    private static SinkServer sink;

    @BeforeAll
    static void start() throws Exception {
        boolean canRun = "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/postfix"));
        if (!canRun && System.getenv("CI") == null) {
            Assumptions.abort("needs root and the postfix package (CI installs both)");
        }
        assertThat(canRun).as("CI must run this test as root with postfix installed").isTrue();
        sink = SinkServer.start(ServerSettings.loopback(0),
                new ScenarioHolder(new ScenarioLoader().load(SCENARIO, "PostfixLogParseIT"), SCENARIO), e -> { });
        Scripts.run(SCRIPT.toString(), "start", String.valueOf(sink.address().getPort()), LOG.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (sink != null) {
                Scripts.run(SCRIPT.toString(), "stop");
            }
        } finally {
            if (sink != null) {
                sink.close();
            }
        }
    }

    @Test
    void parserAndClassifierReadWhatTheSinkAnswered() throws Exception {
        Scripts.run(SCRIPT.toString(), "submit", "sender@example.test", "ok@sink.test", "550-5.1.1@sink.test",
                "452-4.2.2@sink.test", "retry@sink.test");
        Scripts.run(SCRIPT.toString(), "submit", "sender@example.test", "victim@spam.test");
        Scripts.run(SCRIPT.toString(), "submit", "blocked@example.test", "anyone@sink.test");

        List<DeliveryResult> results = awaitResults(Duration.ofSeconds(120), rs ->
                has(rs, "retry@sink.test", DeliveryStatus.DELIVERED) && has(rs, "anyone@sink.test", DeliveryStatus.BOUNCED)
                        && has(rs, "victim@spam.test", DeliveryStatus.BOUNCED)
                        && has(rs, "550-5.1.1@sink.test", DeliveryStatus.BOUNCED)
                        && has(rs, "452-4.2.2@sink.test", DeliveryStatus.DEFERRED)
                        && has(rs, "ok@sink.test", DeliveryStatus.DELIVERED));
        Classifier classifier = Classifier.load();

        DeliveryResult unknown = first(results, "550-5.1.1@sink.test", DeliveryStatus.BOUNCED);
        assertThat(unknown.mta()).isEqualTo(Mta.POSTFIX);
        assertThat(unknown.replyCode()).isEqualTo(550);
        assertThat(unknown.dsn()).isEqualTo("5.1.1");
        assertThat(unknown.stage()).isEqualTo(SmtpStage.RCPT);
        assertThat(unknown.sender()).isEqualTo("sender@example.test");
        assertThat(unknown.messageId()).isNotBlank();
        assertThat(unknown.relayIp()).isEqualTo("127.0.0.1");
        assertThat(unknown.diagnostic()).contains("does not exist").doesNotContain("550-5.1.1 ");
        Classification c = classifier.classify(ClassifierInput.of(unknown));
        assertThat(c.category()).isEqualTo("userunknown");
        assertThat(c.hardBounce()).isTrue();

        DeliveryResult full = first(results, "452-4.2.2@sink.test", DeliveryStatus.DEFERRED);
        assertThat(full.dsn()).isEqualTo("4.2.2");
        assertThat(classifier.classify(ClassifierInput.of(full)).category()).isEqualTo("mailboxfull");

        // deferred once, delivered on the retry: two results, attempts counted
        DeliveryResult firstTry = first(results, "retry@sink.test", DeliveryStatus.DEFERRED);
        DeliveryResult retried = first(results, "retry@sink.test", DeliveryStatus.DELIVERED);
        assertThat(firstTry.replyCode()).isEqualTo(451);
        assertThat(retried.attempts()).isGreaterThan(firstTry.attempts());

        DeliveryResult spam = first(results, "victim@spam.test", DeliveryStatus.BOUNCED);
        assertThat(spam.stage()).isEqualTo(SmtpStage.DATA_END);
        assertThat(spam.replyCode()).isEqualTo(554);
        assertThat(classifier.classify(ClassifierInput.of(spam)).category()).isEqualTo("spamdetected");

        DeliveryResult blocked = first(results, "anyone@sink.test", DeliveryStatus.BOUNCED);
        assertThat(blocked.stage()).isEqualTo(SmtpStage.MAIL);
        Classification b = classifier.classify(ClassifierInput.of(blocked));
        assertThat(b.category()).isEqualTo("blocked");
        assertThat(b.hardBounce()).as("a blocklisted IP is never the recipient's fault").isFalse();
        assertThat(b.signals()).anyMatch(s -> s.contains("spamhaus"));
    }

    private static boolean has(List<DeliveryResult> rs, String rcpt, DeliveryStatus status) {
        return rs.stream().anyMatch(r -> rcpt.equals(r.recipient()) && r.status() == status);
    }

    private static DeliveryResult first(List<DeliveryResult> rs, String rcpt, DeliveryStatus status) {
        return rs.stream().filter(r -> rcpt.equals(r.recipient()) && r.status() == status).findFirst()
                .orElseThrow(() -> new AssertionError("no " + status + " result for " + rcpt + " in " + rs));
    }

    /** Parses Postfix's log from the start on each poll until the expected results are all there. */
    private static List<DeliveryResult> awaitResults(Duration timeout, Predicate<List<DeliveryResult>> done)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        List<DeliveryResult> results = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            LogParser parser = LogParser.withDefaults();
            parser.startSource(Instant.now());
            results = new ArrayList<>();
            for (String line : Files.readAllLines(LOG, StandardCharsets.UTF_8)) {
                results.addAll(parser.accept(line));
            }
            if (done.test(results)) {
                return results;
            }
            Scripts.run(SCRIPT.toString(), "flush");
            Thread.sleep(1000);
        }
        throw new AssertionError("expected results not parsed within " + timeout + ": " + results + "\n"
                + Files.readString(LOG));
    }

}
