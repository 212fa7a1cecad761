package dev.bouncewatch.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live agent on a real MTA's own log: Debian's Postfix, and Debian's Exim, relay to the
 * agent's embedded test-mta sink, which answers per recipient; the agent tails the MTA's log and
 * its API must show what the MTA logged, classified, with the unknown user suppressed and the
 * blocked sender's recipient not.
 */
class AgentMtaIT {

    private static final Path POSTFIX = Path.of("../test-mta/src/test/scripts/postfix-relay.sh").toAbsolutePath().normalize();
    private static final Path EXIM = Path.of("src/test/scripts/exim-relay.sh").toAbsolutePath();
    private static final Path EXIM_BINARY = Path.of(System.getenv().getOrDefault("EXIM_ROOT", "/opt/bouncewatch-ci/exim"),
            "usr/sbin/exim4");
    private static final String SCENARIO = """
            version: 1
            rules:
              - id: blocked-sender
                when: { stage: mail, mail_from: "blocked@*" }
                then: { reply: "@spamhaus.zen" }
            """;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void postfixLogFollowedLive() throws Exception {
        requireRootAnd(Files.isExecutable(Path.of("/usr/sbin/postfix")), "the postfix package");
        Path log = Path.of("/var/tmp/bouncewatch-it/agent-postfix.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        try (AgentProcess agent = startAgent(log, "postfix")) {
            try {
                Scripts.run(POSTFIX.toString(), "start", String.valueOf(sinkPort), log.toString());
                Scripts.run(POSTFIX.toString(), "submit", "sender@example.test",
                        "550-5.1.1@remote.test", "451-4.7.1@remote.test", "ok@remote.test", "552-5.2.2@remote.test");
                Scripts.run(POSTFIX.toString(), "submit", "blocked@example.test", "victim@remote.test");
                checkResults(agent, "postfix");
            } finally {
                Scripts.run(POSTFIX.toString(), "stop");
            }
            assertThat(agent.stop()).isZero();
        }
    }

    @Test
    void eximLogFollowedLive() throws Exception {
        requireRootAnd(Files.isExecutable(EXIM_BINARY), "Exim unpacked by .ci/run in " + EXIM_BINARY.getParent());
        Path work = Path.of("/var/tmp/bouncewatch-it/agent-exim");
        Scripts.run("rm", "-rf", work.toString());
        Path log = work.resolve("log/mainlog");
        try (AgentProcess agent = startAgent(log, "exim")) {
            try {
                Scripts.run(EXIM.toString(), "start", String.valueOf(sinkPort), work.toString());
                Scripts.run(EXIM.toString(), "submit", work.toString(), "sender@example.test",
                        "550-5.1.1@remote.test", "451-4.7.1@remote.test", "ok@remote.test", "552-5.2.2@remote.test");
                Scripts.run(EXIM.toString(), "submit", work.toString(), "blocked@example.test", "victim@remote.test");
                checkResults(agent, "exim");
            } finally {
                Scripts.run(EXIM.toString(), "stop", work.toString());
            }
            assertThat(agent.stop()).isZero();
        }
    }

    private int sinkPort;

    private AgentProcess startAgent(Path log, String format) throws Exception {
        sinkPort = AgentProcess.freePort();
        int httpPort = AgentProcess.freePort();
        Path scenario = dir.resolve("scenario.yml");
        Files.writeString(scenario, SCENARIO);
        Path config = dir.resolve("agent.yml");
        Files.writeString(config, """
                stateDir: %s
                sources:
                  - type: file
                    path: %s
                    format: %s
                    pollInterval: 100ms
                  - type: sink
                    listen: 127.0.0.1:%d
                    scenario: %s
                http:
                  listen: 127.0.0.1:%d
                """.formatted(dir.resolve("state"), log, format, sinkPort, scenario, httpPort));
        return new AgentProcess(config, dir.resolve("agent.out"), httpPort).start();
    }

    private static void checkResults(AgentProcess agent, String mta) throws Exception {
        JsonNode unknown = awaitResult(agent, "550-5.1.1@remote.test", mta, r -> "bounced".equals(r.path("status").asText()));
        assertThat(unknown.path("dsn").asText()).isEqualTo("5.1.1");
        assertThat(unknown.path("replyCode").asInt()).isEqualTo(550);
        assertThat(unknown.path("category").asText()).isEqualTo("userunknown");
        assertThat(unknown.path("hardBounce").asBoolean()).isTrue();

        // an MTA may also log a deferral without a reply (host retry state): look for the sink's 451
        JsonNode greylisted = awaitResult(agent, "451-4.7.1@remote.test", mta,
                r -> "deferred".equals(r.path("status").asText()) && r.path("replyCode").asInt() == 451);
        assertThat(greylisted.path("dsn").asText()).isEqualTo("4.7.1");
        assertThat(greylisted.path("severity").asText()).isEqualTo("transient");

        awaitResult(agent, "ok@remote.test", mta, r -> "delivered".equals(r.path("status").asText()));

        JsonNode full = awaitResult(agent, "552-5.2.2@remote.test", mta, r -> "bounced".equals(r.path("status").asText()));
        assertThat(full.path("category").asText()).isEqualTo("mailboxfull");

        JsonNode blocked = awaitResult(agent, "victim@remote.test", mta, r -> "bounced".equals(r.path("status").asText()));
        assertThat(blocked.path("category").asText()).isEqualTo("blocked");
        assertThat(blocked.path("diagnostic").asText()).containsIgnoringCase("spamhaus");

        // the clean list: the unknown user at once; a full mailbox and a blocked sender never after one bounce
        JsonNode suppressed = agent.get("/api/suppressions/550-5.1.1@remote.test");
        assertThat(suppressed.path("origin").asText()).isEqualTo("bounce");
        assertThat(suppressed.path("category").asText()).isEqualTo("userunknown");
        assertThat(agent.getText("/api/suppressions?format=text")).contains("550-5.1.1@remote.test")
                .doesNotContain("552-5.2.2@remote.test").doesNotContain("victim@remote.test");

        String metrics = agent.getText("/metrics");
        assertThat(metrics).containsPattern("bouncewatch_deliveries_total\\{status=\"bounced\",category=\"userunknown\",domain_group=\"[a-z]+\"} [1-9]");
        JsonNode health = agent.get("/healthz");
        assertThat(health.toString()).contains(mta.equals("exim") ? "mainlog" : "agent-postfix.log");
    }

    /** Polls /api/results for the recipient until a result logged by the MTA (not the sink) matches. */
    private static JsonNode awaitResult(AgentProcess agent, String recipient, String mta, Predicate<JsonNode> match)
            throws IOException, InterruptedException {
        String path = "/api/results?limit=50&recipient=" + URLEncoder.encode(recipient, StandardCharsets.UTF_8);
        JsonNode page = agent.await(path, p -> find(p, mta, match) != null, WAIT);
        return find(page, mta, match);
    }

    private static JsonNode find(JsonNode page, String mta, Predicate<JsonNode> match) {
        for (JsonNode item : page.path("items")) {
            if (mta.equals(item.path("mta").asText()) && match.test(item)) {
                return item;
            }
        }
        return null;
    }

    private static void requireRootAnd(boolean available, String what) {
        boolean canRun = "root".equals(System.getProperty("user.name")) && available;
        if (!canRun && System.getenv("CI") == null) {
            Assumptions.abort("needs root and " + what + " (CI provides both)");
        }
        assertThat(canRun).as("CI must run this test as root with " + what).isTrue();
    }

}
