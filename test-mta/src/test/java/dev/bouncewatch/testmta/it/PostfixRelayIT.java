package dev.bouncewatch.testmta.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.scenario.ScenarioLoader;
import dev.bouncewatch.testmta.server.ServerSettings;
import dev.bouncewatch.testmta.server.SinkServer;
import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.session.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Postfix (the Debian package, started here with its relayhost pointing at the sink) sends to
 * magic and scenario addresses; its own log must show what the sink answered: bounced for 5xx,
 * deferred for 4xx, sent for 2xx, each with the sink's enhanced code.
 */
class PostfixRelayIT {

    private static final Path SCRIPT = Path.of("src/test/scripts/postfix-relay.sh").toAbsolutePath();
    private static final Path LOG = Path.of("/var/tmp/bouncewatch-it/postfix-relay.log");
    private static final String SCENARIO = """
            version: 1
            rules:
              - id: unknown-users
                when: { stage: rcpt, rcpt: "nobody*@*" }
                then: { reply: "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in relay recipient table" }
              - id: over-quota
                when: { stage: rcpt, rcpt: "full@*" }
                then: { reply: "@gmail.over_quota" }
            """;

    private static SinkServer sink;
    private static final ConcurrentLinkedQueue<TransactionEvent> EVENTS = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startSinkAndPostfix() throws Exception {
        boolean canRun = isRoot() && Files.isExecutable(Path.of("/usr/sbin/postfix"));
        if (!canRun && System.getenv("CI") == null) {
            Assumptions.abort("needs root and the postfix package (CI installs both)");
        }
        assertThat(canRun).as("CI must run this test as root with postfix installed").isTrue();
        ScenarioHolder holder = new ScenarioHolder(new ScenarioLoader().load(SCENARIO, "PostfixRelayIT"), SCENARIO);
        sink = SinkServer.start(ServerSettings.loopback(0), holder, EVENTS::add);
        run(SCRIPT.toString(), "start", String.valueOf(sink.address().getPort()), LOG.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (Files.isExecutable(SCRIPT) && isRoot()) {
                run(SCRIPT.toString(), "stop");
            }
        } finally {
            if (sink != null) {
                sink.close();
            }
        }
    }

    @Test
    void postfixLogsWhatTheSinkAnswered() throws Exception {
        List<String> rcpts = List.of("ok@sink.test", "550-5.1.1@sink.test", "451-4.7.1@sink.test",
                "nobody@sink.test", "full@sink.test", "554-5.7.1-blocked@sink.test");
        for (String rcpt : rcpts) {
            run(SCRIPT.toString(), "submit", "sender@example.test", rcpt);
        }
        Map<String, Matcher> lines = awaitDeliveryLines(rcpts, Duration.ofSeconds(90));

        assertDelivery(lines.get("ok@sink.test"), "sent", "2.0.0");
        assertDelivery(lines.get("550-5.1.1@sink.test"), "bounced", "5.1.1");
        assertDelivery(lines.get("451-4.7.1@sink.test"), "deferred", "4.7.1");
        assertDelivery(lines.get("nobody@sink.test"), "bounced", "5.1.1");
        assertThat(lines.get("nobody@sink.test").group("text")).contains("User unknown in relay recipient table");
        assertDelivery(lines.get("full@sink.test"), "deferred", "4.2.2");
        assertDelivery(lines.get("554-5.7.1-blocked@sink.test"), "bounced", "5.7.1");

        // the sink recorded the same answers, with the rule that gave them
        assertThat(rcptEvent("nobody@sink.test")).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo(550);
            assertThat(e.ruleId()).isEqualTo("unknown-users");
        });
        assertThat(rcptEvent("451-4.7.1@sink.test")).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(451));
        // Postfix took the STARTTLS the sink advertised (opportunistic TLS, self-signed certificate)
        assertThat(Files.readString(LOG)).containsPattern("TLS connection established to 127\\.0\\.0\\.1");
    }

    private static Optional<TransactionEvent> rcptEvent(String rcpt) {
        return EVENTS.stream().filter(e -> e.stage() == Stage.RCPT && rcpt.equals(e.recipient())).findFirst();
    }

    private static void assertDelivery(Matcher m, String status, String dsn) {
        assertThat(m).as("delivery line").isNotNull();
        assertThat(m.group("status")).as("status of " + m.group("rcpt")).isEqualTo(status);
        assertThat(m.group("dsn")).as("dsn of " + m.group("rcpt")).isEqualTo(dsn);
    }

    private static final Pattern DELIVERY = Pattern.compile(
            "postfix/smtp\\[\\d+\\]: \\w+: to=<(?<rcpt>[^>]+)>, relay=\\S+, .*dsn=(?<dsn>[0-9.]+), "
                    + "status=(?<status>\\w+) \\((?<text>.*)\\)$");

    /** Waits until Postfix logged a delivery attempt for every recipient; the first line for each. */
    private static Map<String, Matcher> awaitDeliveryLines(List<String> rcpts, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Matcher> found = new java.util.HashMap<>();
        while (Instant.now().isBefore(deadline)) {
            found.clear();
            for (String line : Files.readAllLines(LOG, StandardCharsets.UTF_8)) {
                Matcher m = DELIVERY.matcher(line);
                if (m.find() && rcpts.contains(m.group("rcpt"))) {
                    found.putIfAbsent(m.group("rcpt"), m);
                }
            }
            if (found.keySet().containsAll(rcpts)) {
                return found;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Postfix did not log all deliveries within " + timeout + "; got " + found.keySet()
                + "\n" + Files.readString(LOG));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
