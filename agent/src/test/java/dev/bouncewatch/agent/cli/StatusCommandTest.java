package dev.bouncewatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.config.ConfigLoader;
import dev.bouncewatch.agent.notify.Notifier;
import dev.bouncewatch.agent.run.Agent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bouncewatch status} against a real agent (in this JVM) reading a real Postfix log, on loopback. */
@Timeout(120)
class StatusCommandTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run status(String... args) {
        CommandLine cli = new CommandLine(new BouncewatchCommand());
        StatusCommand status = cli.getSubcommands().get("status").getCommand();
        status.config.environment = Map.of("BW_TOKEN", TOKEN)::get;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "status";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String postfix(Instant t, String queueId, String rcpt, String dsn, String status, String reply) {
        String stamp = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.truncatedTo(ChronoUnit.MICROS).atOffset(java.time.ZoneOffset.UTC));
        return stamp + " mail1 postfix/smtp[100]: " + queueId + ": to=<" + rcpt + ">, relay=gmail-smtp-in.l.google.com"
                + "[142.250.1.27]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=" + dsn + ", status=" + status + " (" + reply + ")\n";
    }

    private Path config(String log, int port, boolean token) throws IOException {
        return Files.writeString(dir.resolve("agent.yml"), """
                stateDir: %s
                sources:
                  - {type: file, path: %s, pollInterval: 50ms}
                http:
                  listen: 127.0.0.1:%d
                %s
                notify: {console: true}
                """.formatted(dir.resolve("state"), log, port, token ? "  token: {env: BW_TOKEN}" : ""));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void reportsTheRunningAgentsSourcesAndTheLastHour() throws Exception {
        Instant now = Instant.now();
        Path log = Files.writeString(dir.resolve("mail.log"),
                postfix(now.minusSeconds(30), "1A2B3C", "ann@gmail.com", "2.0.0", "sent", "250 2.0.0 OK 1700000000 x")
                + postfix(now.minusSeconds(20), "1A2B3D", "bob@gmail.com", "5.1.1", "bounced", "host gmail-smtp-in.l.google.com"
                        + "[142.250.1.27] said: 550-5.1.1 The email account that you tried to reach does not exist. (in reply to RCPT TO command)")
                + postfix(now.minusSeconds(10), "1A2B3E", "cy@gmail.com", "4.7.1", "deferred", "host gmail-smtp-in.l.google.com"
                        + "[142.250.1.27] said: 451 4.7.1 Greylisted, try again later (in reply to RCPT TO command)")
                + "garbage that is no log line at all\n");
        int port = freePort();
        Path config = config(log.toString(), port, true);
        try (Agent agent = Agent.start(new ConfigLoader(Map.of("BW_TOKEN", TOKEN)::get).load(config).config(),
                store -> Notifier.NONE, Clock.systemUTC())) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (agent.sources().get(0).results() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            Run r = status("--config", config.toString());

            assertThat(r.err()).isEmpty();
            assertThat(r.exit()).isZero();
            assertThat(r.out().lines()).first().asString()
                    .isEqualTo("bouncewatch agent at http://127.0.0.1:" + port + ": ok, up " + r.out().lines().findFirst()
                            .orElseThrow().replaceAll(".* up ", ""));
            assertThat(r.out()).contains("sources:\n  file:" + log + "  running, 4 lines, 3 results", "1 lines skipped",
                    "last hour: 3 results: 1 delivered, 1 deferred, 1 bounced (bounce rate ",
                    "last 24 hours: 3 results: 1 delivered, 1 deferred, 1 bounced");
            assertThat(r.out()).doesNotContain("problem:", TOKEN);

            // without the token the statistics are refused, the health is not
            Path noToken = config(log.toString(), port, false);
            Run partial = status("--config", noToken.toString());
            assertThat(partial.exit()).isZero();
            assertThat(partial.out()).contains("running, 4 lines, 3 results", "statistics need the API token")
                    .doesNotContain("last hour:");
        }
    }

    @Test
    void anAgentThatIsNotRunningIsExitTwoWithAHint() throws IOException {
        int port = freePort();
        Path config = config(dir.resolve("mail.log").toString(), port, false);
        Run r = status("--config", config.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("no agent answers at http://127.0.0.1:" + port + " (connection refused): is it running?")
                .contains("systemctl status bouncewatch-agent");
    }

    @Test
    void bytesBehindReadLikeAFileSize() {
        assertThat(dev.bouncewatch.agent.notify.DisplayFormat.bytes(812)).isEqualTo("812 B");
        assertThat(dev.bouncewatch.agent.notify.DisplayFormat.bytes(4300)).isEqualTo("4.2 KiB");
        assertThat(dev.bouncewatch.agent.notify.DisplayFormat.bytes(116_115_602)).isEqualTo("110.7 MiB");
    }

    @Test
    void aDisabledApiHasNothingToAsk() throws IOException {
        Path config = Files.writeString(dir.resolve("agent.yml"), "http: {enabled: false}\n");
        Run r = status("--config", config.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("the HTTP API is disabled in " + config);
    }
}
