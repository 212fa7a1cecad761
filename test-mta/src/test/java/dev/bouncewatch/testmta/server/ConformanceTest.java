package dev.bouncewatch.testmta.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.scenario.Outcome;
import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.session.ProtocolOptions;
import dev.bouncewatch.testmta.session.Stage;
import dev.bouncewatch.testmta.smtp.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The minimal conformance list (research note 4.9), byte for byte over real sockets on 127.0.0.1. */
@Timeout(120)
class ConformanceTest {

    private static final Pattern LINE = Pattern.compile("[2-5]\\d\\d[ -].*\r\n");

    @TempDir
    Path captureDir;

    private SinkServer server;
    private final EventLog log = new EventLog();

    private SinkServer start(Scenario scenario) throws InterruptedException {
        server = SinkServer.start(new ServerSettings(new java.net.InetSocketAddress("127.0.0.1", 0), null, null,
                captureDir), new ScenarioHolder(scenario, null), log);
        return server;
    }

    private RawSmtpClient connect() throws Exception {
        if (server == null) {
            start(Scenario.ACCEPT_ALL);
        }
        RawSmtpClient c = new RawSmtpClient(server.address());
        assertThat(c.reply()).startsWith("220 test-mta.localhost");
        return c;
    }

    private static ProtocolOptions options(long sizeLimit, int maxRecipients, Duration idle, Map<String, String> users) {
        ProtocolOptions d = ProtocolOptions.defaults();
        return new ProtocolOptions(d.hostname(), d.advertised(), d.refused(), sizeLimit, maxRecipients,
                d.maxCommandLine(), d.bareLineFeed(), d.starttlsLeftover(), idle, users, false, false,
                d.maxConnections(), d.maxConnectionsPerIp(), false);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private List<String> captured() throws Exception {
        EventLog.poll(() -> {
            try (Stream<Path> s = Files.list(captureDir)) {
                return s.anyMatch(p -> p.toString().endsWith(".eml"));
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(30));
        try (Stream<Path> s = Files.list(captureDir)) {
            return s.filter(p -> p.toString().endsWith(".eml")).sorted().map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @Test
    void c01_multiLineEhloHasCodeOnEveryLineAndCrlf() throws Exception {
        try (RawSmtpClient c = connect()) {
            List<String> lines = c.send("EHLO client.example\r\n").readReply();
            assertThat(lines.size()).isGreaterThan(3);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).matches(LINE).startsWith(i < lines.size() - 1 ? "250-" : "250 ");
            }
            assertThat(lines).contains("250-SIZE " + ProtocolOptions.DEFAULT_SIZE_LIMIT + "\r\n");
        }
    }

    @Test
    void c02_enhancedCodesOnEvery2xx4xx5xxLine() throws Exception {
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            for (String cmd : List.of("NOOP", "MAIL FROM:<a@x>", "RCPT TO:<b@x>", "RSET", "VRFY x", "HELP",
                    "BOGUS", "RCPT TO:<b@x>")) {
                for (String line : c.send(cmd + "\r\n").readReply()) {
                    assertThat(line).as(cmd).matches("[245]\\d\\d[ -][245]\\.\\d{1,3}\\.\\d{1,3}( .*)?\r\n");
                    assertThat(line.charAt(4)).as(cmd).isEqualTo(line.charAt(0));
                }
            }
        }
    }

    @Test
    void c03_nullSenderAccepted() throws Exception {
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            assertThat(c.command("MAIL FROM:<>")).startsWith("250 2.1.0");
        }
    }

    @Test
    void c04_nestedMailIs503AndStateUnchanged() throws Exception {
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            assertThat(c.command("MAIL FROM:<a@x>")).startsWith("250");
            assertThat(c.command("MAIL FROM:<b@x>")).startsWith("503 5.5.1");
            assertThat(c.command("RCPT TO:<r@x>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("From: f\r\n\r\nhi\r\n.")).startsWith("250 2.0.0");
        }
        assertThat(captured().get(0)).contains("X-TestMta-Mail-From: <a@x>");
    }

    @Test
    void c05_dataWithoutRecipientGetsNo354() throws Exception {
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            c.command("MAIL FROM:<a@x>");
            assertThat(c.command("DATA")).startsWith("503 5.5.1");
            // the would-be body is read as commands, each refused; the session is still usable
            assertThat(c.command("NOOP")).startsWith("250");
        }
    }

    @Test
    void c06_recipientOverLimitGets452() throws Exception {
        start(TestScenario.of(options(0, 100, Duration.ofMinutes(5), Map.of())));
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            c.command("MAIL FROM:<a@x>");
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 101; i++) {
                batch.append("RCPT TO:<r").append(i).append("@x>\r\n");
            }
            c.send(batch.toString());
            for (int i = 0; i < 100; i++) {
                assertThat(c.reply()).startsWith("250 2.1.5");
            }
            assertThat(c.reply()).startsWith("452 4.5.3");
        }
    }

    @Test
    void c07_overlongCommandIs500AndSessionContinues() throws Exception {
        try (RawSmtpClient c = connect()) {
            assertThat(c.command("NOOP " + "x".repeat(5000))).startsWith("500 5.5.2");
            assertThat(c.command("NOOP")).startsWith("250 2.0.0");
        }
    }

    @Test
    void c08_unknownVerbIs500AndSessionContinues() throws Exception {
        try (RawSmtpClient c = connect()) {
            assertThat(c.command("XYZZY plugh")).startsWith("500 5.5.2");
            assertThat(c.command("EHLO c")).startsWith("250 ");
        }
    }

    @Test
    void c09_c10_finalDotInOneByteWritesAndUnstuffing() throws Exception {
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n");
            c.readReply();
            c.reply();
            c.reply();
            assertThat(c.reply()).startsWith("354");
            for (byte b : "Subject: s\r\n\r\n..leading\r\n.\r\n".getBytes(StandardCharsets.US_ASCII)) {
                c.sendBytes(new byte[] {b});
            }
            assertThat(c.reply()).startsWith("250 2.0.0");
        }
        assertThat(captured().get(0)).endsWith("Subject: s\r\n\r\n.leading\r\n");
    }

    @Test
    void c11_smuggledEndsDoNotEndData() throws Exception {
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            for (String smuggled : List.of("\n.\n", "\n.\r\n", "\r.\r")) {
                c.command("MAIL FROM:<a@x>");
                c.command("RCPT TO:<b@x>");
                assertThat(c.command("DATA")).startsWith("354");
                c.send("x" + smuggled + "MAIL FROM:<evil@x>\r\nRCPT TO:<victim@x>\r\nDATA\r\nevil\r\n.\r\n");
                String verdict = c.reply();
                assertThat(verdict).as(smuggled).matches("(550 5\\.5\\.2|250 2\\.0\\.0).*");
                assertThat(c.command("NOOP")).startsWith("250 2.0.0");
            }
        }
        assertThat(log.events).noneMatch(e -> "evil@x".equals(e.sender()));
    }

    @Test
    void c12_sizeDeclaredAndActual() throws Exception {
        start(TestScenario.of(options(100, 100, Duration.ofMinutes(5), Map.of())));
        try (RawSmtpClient c = connect()) {
            assertThat(c.send("EHLO c\r\n").readReply()).contains("250-SIZE 100\r\n");
            assertThat(c.command("MAIL FROM:<a@x> SIZE=101")).startsWith("552 5.3.4");
            c.command("MAIL FROM:<a@x> SIZE=50");
            c.command("RCPT TO:<b@x>");
            c.command("DATA");
            c.send("x".repeat(500) + "\r\n");
            c.send("more\r\n.\r\n");
            assertThat(c.reply()).startsWith("552 5.3.4");
            assertThat(c.command("NOOP")).startsWith("250");
        }
    }

    @Test
    void c13_bdatExactOctetsDrainedWhenRejectedAndZeroLast() throws Exception {
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            c.command("MAIL FROM:<a@x>");
            // no recipient yet: the chunk (which looks like commands) is drained, then refused
            c.send("BDAT 12\r\nQUIT\r\nQUIT\r\n");
            assertThat(c.reply()).startsWith("503 5.5.1");
            c.command("RCPT TO:<b@x>");
            c.send("BDAT 9\r\n.\r\nQUIT\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0 9 octets");
            assertThat(c.command("BDAT 0 LAST")).startsWith("250 2.0.0 Ok: queued");
        }
        assertThat(captured().get(0)).endsWith("\r\n.\r\nQUIT\r\n");
    }

    @Test
    void c14_pipelinedGroupAnsweredInOrder() throws Exception {
        start(new TestScenario(ProtocolOptions.defaults(), ctx -> ctx.stage() == Stage.RCPT && "r2@x".equals(ctx.rcpt())
                ? new Outcome.Respond("no-r2", null, Reply.parse("550 5.1.1 no such user"), false)
                : Outcome.PROCEED));
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            c.send("MAIL FROM:<a@x>\r\nRCPT TO:<r1@x>\r\nRCPT TO:<r2@x>\r\nRCPT TO:<r3@x>\r\nDATA\r\n");
            assertThat(c.reply()).startsWith("250 2.1.0");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("550 5.1.1");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("354");
            assertThat(c.command("hi\r\n.")).startsWith("250");
        }
    }

    @Test
    void c15_c16_plaintextAfterStarttlsNeverRunsAndTlsForgetsTheSession() throws Exception {
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            c.send("STARTTLS\r\nMAIL FROM:<injected@x>\r\n");
            assertThat(c.reply()).startsWith("220 2.0.0");
            c.startTls();
            assertThat(c.command("MAIL FROM:<a@x>")).startsWith("503 5.5.1");
            List<String> ehlo = c.send("EHLO c\r\n").readReply();
            assertThat(ehlo).noneMatch(l -> l.contains("STARTTLS"));
            assertThat(c.command("MAIL FROM:<a@x>")).startsWith("250");
        }
        assertThat(log.events).noneMatch(e -> "injected@x".equals(e.sender()));
    }

    @Test
    void c17_authPlainAndLogin() throws Exception {
        start(TestScenario.of(options(0, 100, Duration.ofMinutes(5), Map.of("alice", "wonder"))));
        try (RawSmtpClient c = connect()) {
            assertThat(c.send("EHLO c\r\n").readReply()).anyMatch(l -> l.matches("250[- ]AUTH PLAIN LOGIN\r\n"));
            String bad = Base64.getEncoder().encodeToString("\0alice\0nope".getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + bad)).startsWith("535 5.7.8");
            assertThat(c.command("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(c.command("*")).startsWith("501 5.7.0");
            assertThat(c.command("AUTH LOGIN")).startsWith("334");
            assertThat(c.command(Base64.getEncoder().encodeToString("alice".getBytes(StandardCharsets.UTF_8))))
                    .isEqualTo("334 UGFzc3dvcmQ6");
            assertThat(c.command(Base64.getEncoder().encodeToString("wonder".getBytes(StandardCharsets.UTF_8))))
                    .startsWith("235 2.7.0");
        }
        assertThat(log.events).anyMatch(e -> e.stage() == Stage.AUTH && e.code() == 235);
    }

    @Test
    void c17b_authLinesUpTo12288OctetsOnDefaultLimits() throws Exception {
        String password = "p".repeat(4000);
        start(TestScenario.of(options(0, 100, Duration.ofMinutes(5), Map.of("alice", password))));
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            String plain = Base64.getEncoder().encodeToString(("\0alice\0" + password).getBytes(StandardCharsets.UTF_8));
            assertThat(plain.length()).isGreaterThan(ProtocolOptions.defaults().maxCommandLine());
            assertThat(c.command("AUTH PLAIN " + plain)).startsWith("235 2.7.0");
        }
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            assertThat(c.command("AUTH LOGIN")).startsWith("334");
            c.command(Base64.getEncoder().encodeToString("alice".getBytes(StandardCharsets.UTF_8)));
            assertThat(c.command(Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))))
                    .startsWith("235 2.7.0");
            // other commands keep maxCommandLine
            assertThat(c.command("NOOP " + "x".repeat(3000))).startsWith("500 5.5.2");
        }
    }

    @Test
    void c21_ehloEchoIsPrintableUsAscii() throws Exception {
        try (RawSmtpClient c = connect()) {
            List<String> lines = c.send("EHLO a\u0001\u00fc\u001b[31mred\r\n").readReply();
            assertThat(lines.get(0)).isEqualTo("250-test-mta.localhost Hello a???[31mred\r\n");
            assertThat(lines).allMatch(l -> l.matches("[\\x20-\\x7E]*\r\n"));
        }
    }

    @Test
    void c18_idleTimeoutGives421AndCloses() throws Exception {
        start(TestScenario.of(options(0, 100, Duration.ofMillis(500), Map.of())));
        try (RawSmtpClient c = connect()) {
            assertThat(c.reply()).startsWith("421 4.4.2 test-mta.localhost Error: timeout exceeded");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void c19_quitGives221AndCloses() throws Exception {
        try (RawSmtpClient c = connect()) {
            assertThat(c.command("QUIT")).startsWith("221 2.0.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void c20_delayedReplyIsNotOvertaken() throws Exception {
        start(new TestScenario(ProtocolOptions.defaults(), ctx -> ctx.stage() == Stage.RCPT && "slow@x".equals(ctx.rcpt())
                ? new Outcome.Respond("slow", Duration.ofMillis(700), Reply.parse("451 4.7.1 greylisted"), false)
                : Outcome.PROCEED));
        try (RawSmtpClient c = connect()) {
            c.send("EHLO c\r\n").readReply();
            c.send("MAIL FROM:<a@x>\r\nRCPT TO:<slow@x>\r\nRCPT TO:<fast@x>\r\nNOOP\r\n");
            assertThat(c.reply()).startsWith("250 2.1.0");
            assertThat(c.reply()).startsWith("451 4.7.1 greylisted");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).startsWith("250 2.0.0");
        }
    }
}
