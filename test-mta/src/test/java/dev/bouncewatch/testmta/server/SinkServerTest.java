package dev.bouncewatch.testmta.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.scenario.Outcome;
import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.session.ProtocolOptions;
import dev.bouncewatch.testmta.session.Stage;
import dev.bouncewatch.testmta.smtp.Reply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class SinkServerTest {

    @TempDir
    Path dir;

    private SinkServer server;
    private final EventLog log = new EventLog();

    private SinkServer start(Scenario scenario, Path captureDir) throws InterruptedException {
        server = SinkServer.start(new ServerSettings(new InetSocketAddress("127.0.0.1", 0), null, null, captureDir),
                new ScenarioHolder(scenario, null), log);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ProtocolOptions limits(int total, int perIp) {
        ProtocolOptions d = ProtocolOptions.defaults();
        return new ProtocolOptions(d.hostname(), d.advertised(), d.refused(), d.sizeLimit(), d.maxRecipients(),
                d.maxCommandLine(), d.bareLineFeed(), d.starttlsLeftover(), d.idleTimeout(), Map.of(), false, false,
                total, perIp, false);
    }

    private static Scenario rule(Stage stage, Outcome outcome) {
        return new TestScenario(ProtocolOptions.defaults(), c -> c.stage() == stage ? outcome : Outcome.PROCEED);
    }

    @Test
    void oneEventLoopServesOtherSessionsWhileAReplyIsDelayed() throws Exception {
        Scenario slowHelo = new TestScenario(ProtocolOptions.defaults(), c -> c.stage() == Stage.HELO
                && "slow".equals(c.helo()) ? new Outcome.Proceed("slow", Duration.ofSeconds(120), false) : Outcome.PROCEED);
        server = SinkServer.start(new ServerSettings(new InetSocketAddress("127.0.0.1", 0), null, null, null, 1),
                new ScenarioHolder(slowHelo, null), log);
        try (RawSmtpClient slow = new RawSmtpClient(server.address());
             RawSmtpClient fast = new RawSmtpClient(server.address())) {
            assertThat(slow.reply()).startsWith("220 ");
            slow.send("EHLO slow\r\n"); // its reply waits 120 s on the only event loop
            assertThat(fast.reply()).startsWith("220 ");
            assertThat(fast.command("EHLO fast")).startsWith("250");
            assertThat(fast.command("MAIL FROM:<a@x>")).startsWith("250");
            assertThat(fast.command("QUIT")).startsWith("221");
            assertThat(server.activeConnections()).isGreaterThanOrEqualTo(1);
        }
        assertThat(log.events).noneMatch(e -> e.stage() == Stage.HELO && "slow".equals(e.helo()));
    }

    @Test
    void nioTransportServesASessionToo() throws Exception {
        System.setProperty(Transport.PROPERTY, "nio"); // the default is epoll where it loads
        try {
            start(Scenario.ACCEPT_ALL, null);
        } finally {
            System.clearProperty(Transport.PROPERTY);
        }
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO c")).startsWith("250");
            assertThat(c.command("MAIL FROM:<a@x>")).startsWith("250");
            assertThat(c.command("RCPT TO:<b@x>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("Subject: t\r\n\r\nhi\r\n.")).startsWith("250");
            assertThat(c.command("QUIT")).startsWith("221");
        }
        assertThat(log.await(e -> e.size() >= 7)).isTrue();
    }

    @Test
    void eventLoopsCannotBeNegative() {
        assertThat(ServerSettings.loopback(0).effectiveEventLoops()).isPositive();
        assertThat(new ServerSettings(new InetSocketAddress("127.0.0.1", 0), null, null, null, 3).effectiveEventLoops())
                .isEqualTo(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new ServerSettings(new InetSocketAddress("127.0.0.1", 0), null, null, null, -1))
                .hasMessageContaining("event loops");
    }

    @Test
    void portZeroIsResolvedAndEveryReplyIsReported() throws Exception {
        start(Scenario.ACCEPT_ALL, null);
        assertThat(server.address().getPort()).isPositive();
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            c.reply();
            c.command("EHLO c");
            c.command("MAIL FROM:<a@x>");
            c.command("RCPT TO:<b@x>");
            c.command("DATA");
            c.command("Message-ID: <m1@x>\r\n\r\nhi\r\n.");
            c.command("QUIT");
        }
        assertThat(log.await(e -> e.size() >= 7)).isTrue();
        assertThat(log.events).extracting(TransactionEvent::stage).containsExactly(Stage.CONNECT, Stage.HELO,
                Stage.MAIL, Stage.RCPT, Stage.DATA, Stage.DATA_END, Stage.QUIT);
        TransactionEvent end = log.events.get(5);
        assertThat(end.messageId()).isEqualTo("<m1@x>");
        assertThat(end.recipients()).containsExactly("b@x");
        assertThat(end.sender()).isEqualTo("a@x");
        assertThat(end.clientIp()).isEqualTo("127.0.0.1");
        assertThat(log.events.get(6).closed()).isTrue();
    }

    @Test
    void failingListenerDoesNotBreakTheSession() throws Exception {
        server = SinkServer.start(ServerSettings.loopback(0), new ScenarioHolder(Scenario.ACCEPT_ALL, null), e -> {
            throw new IllegalStateException("listener bug");
        });
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("NOOP")).startsWith("250");
        }
    }

    @Test
    void globalConnectionLimitGives421() throws Exception {
        start(TestScenario.of(limits(2, 0)), null);
        try (RawSmtpClient a = new RawSmtpClient(server.address());
             RawSmtpClient b = new RawSmtpClient(server.address())) {
            assertThat(a.reply()).startsWith("220");
            assertThat(b.reply()).startsWith("220");
            try (RawSmtpClient c = new RawSmtpClient(server.address())) {
                assertThat(c.reply()).isEqualTo("421 4.7.0 test-mta.localhost Error: too many connections");
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(server.activeConnections()).isEqualTo(2);
        }
        assertThat(EventLog.poll(() -> server.activeConnections() == 0, Duration.ofSeconds(30))).isTrue();
        try (RawSmtpClient d = new RawSmtpClient(server.address())) {
            assertThat(d.reply()).startsWith("220");
        }
    }

    @Test
    void perAddressLimitGives421() throws Exception {
        start(TestScenario.of(limits(0, 1)), null);
        try (RawSmtpClient a = new RawSmtpClient(server.address())) {
            assertThat(a.reply()).startsWith("220");
            try (RawSmtpClient b = new RawSmtpClient(server.address())) {
                assertThat(b.reply()).startsWith("421 4.7.0");
            }
        }
    }

    @Test
    void greeting421Closes() throws Exception {
        start(rule(Stage.CONNECT, new Outcome.Respond("busy", null, Reply.parse("421 4.3.2 busy"), false)), null);
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            assertThat(c.reply()).isEqualTo("421 4.3.2 busy");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void dropCloseAndResetSendNoReply() throws Exception {
        for (Outcome.DropMode mode : List.of(Outcome.DropMode.CLOSE, Outcome.DropMode.RST)) {
            start(rule(Stage.MAIL, new Outcome.Drop("drop", null, mode, -1)), null);
            try (RawSmtpClient c = new RawSmtpClient(server.address())) {
                c.reply();
                c.command("EHLO c");
                c.send("MAIL FROM:<a@x>\r\n");
                assertThat(c.readLine()).as(mode.name()).isNull();
            } catch (IOException reset) {
                assertThat(mode).isEqualTo(Outcome.DropMode.RST);
            }
            server.close();
        }
        server = null;
    }

    @Test
    void hangNeverAnswers() throws Exception {
        start(rule(Stage.RCPT, new Outcome.Drop("hang", null, Outcome.DropMode.HANG, -1)), null);
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            c.reply();
            c.command("EHLO c");
            c.command("MAIL FROM:<a@x>");
            c.send("RCPT TO:<b@x>\r\nNOOP\r\n");
            c.setReadTimeout(1500);
            assertThat(c.closedByServer()).isFalse(); // read timed out: no reply, still open
        }
    }

    @Test
    void hungSessionsAreReleasedWhenTheClientCloses() throws Exception {
        start(rule(Stage.CONNECT, new Outcome.Drop("hang", null, Outcome.DropMode.HANG, -1)), null);
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Socket s = new Socket();
            s.connect(server.address(), 30_000);
            clients.add(s);
        }
        assertThat(EventLog.poll(() -> server.activeConnections() == 5, Duration.ofSeconds(30))).isTrue();
        for (Socket s : clients) {
            s.close();
        }
        assertThat(EventLog.poll(() -> server.activeConnections() == 0, Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void hangAfterDataOctetsIsReleasedWhenTheClientCloses() throws Exception {
        start(rule(Stage.DATA, new Outcome.Drop("mid", null, Outcome.DropMode.HANG, 10)), null);
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            c.reply();
            c.command("EHLO c");
            c.command("MAIL FROM:<a@x>");
            c.command("RCPT TO:<b@x>");
            assertThat(c.command("DATA")).startsWith("354");
            c.send("0123456789abcdef\r\n.\r\nNOOP\r\n");
            c.setReadTimeout(1000);
            assertThat(c.closedByServer()).isFalse(); // hung: no reply, still open
            assertThat(server.activeConnections()).isEqualTo(1);
        }
        assertThat(EventLog.poll(() -> server.activeConnections() == 0, Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void hungSessionIsClosedSilentlyAtTheIdleTimeout() throws Exception {
        ProtocolOptions d = ProtocolOptions.defaults().withIdleTimeout(Duration.ofMillis(500));
        start(new TestScenario(d, c -> c.stage() == Stage.RCPT
                ? new Outcome.Drop("hang", null, Outcome.DropMode.HANG, -1) : Outcome.PROCEED), null);
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            c.reply();
            c.command("EHLO c");
            c.command("MAIL FROM:<a@x>");
            c.send("RCPT TO:<b@x>\r\n");
            assertThat(c.readLine()).isNull(); // closed without a 421
        }
        assertThat(EventLog.poll(() -> server.activeConnections() == 0, Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void seededPickGivesTheSameOutcomesOnEveryServerRun() throws Exception {
        String yaml = """
                seed: 7
                rules:
                  - id: coin
                    when: { stage: rcpt }
                    then:
                      pick:
                        - { weight: 50, accept: true }
                        - { weight: 50, reply: "550 5.1.1 unlucky" }
                """;
        List<String> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Scenario scenario = new dev.bouncewatch.testmta.scenario.ScenarioLoader().parse(yaml, "coin.yaml");
            try (SinkServer s = SinkServer.start(ServerSettings.loopback(0), new ScenarioHolder(scenario, null), null)) {
                StringBuilder outcomes = new StringBuilder();
                for (int session = 0; session < 24; session++) {
                    try (RawSmtpClient c = new RawSmtpClient(s.address())) {
                        c.reply();
                        c.command("EHLO c");
                        c.command("MAIL FROM:<a@x>");
                        outcomes.append(c.command("RCPT TO:<b@x>"), 0, 3).append(' ');
                        c.command("QUIT");
                    }
                }
                runs.add(outcomes.toString());
            }
        }
        assertThat(runs.get(0)).contains("250", "550"); // the dice really rolled
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    @Test
    void dropAfterDataOctets() throws Exception {
        start(rule(Stage.DATA, new Outcome.Drop("mid", null, Outcome.DropMode.CLOSE, 10)), null);
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            c.reply();
            c.command("EHLO c");
            c.command("MAIL FROM:<a@x>");
            c.command("RCPT TO:<b@x>");
            assertThat(c.command("DATA")).startsWith("354");
            c.send("0123456789abcdef\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void captureWritesEnvelopeHeadersAndBody() throws Exception {
        start(Scenario.ACCEPT_ALL, dir);
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            c.reply();
            c.command("EHLO client.example");
            c.command("MAIL FROM:<a@x>");
            c.command("RCPT TO:<b@x>");
            c.command("RCPT TO:<c@x>");
            c.command("DATA");
            assertThat(c.command("Subject: t\r\n\r\nbody\r\n.")).startsWith("250");
            // a rejected message is not captured
            c.command("MAIL FROM:<a@x>");
            c.command("DATA");
        }
        assertThat(EventLog.poll(() -> count(dir) == 1, Duration.ofSeconds(30))).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            Path eml = files.filter(p -> p.toString().endsWith(".eml")).findFirst().orElseThrow();
            assertThat(eml.getFileName().toString()).matches("\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-z]+-1\\.eml");
            String text = Files.readString(eml, StandardCharsets.UTF_8);
            assertThat(text).contains("X-TestMta-Helo: client.example\r\n", "X-TestMta-Mail-From: <a@x>\r\n",
                    "X-TestMta-Rcpt-To: <b@x>\r\n", "X-TestMta-Rcpt-To: <c@x>\r\n").endsWith("Subject: t\r\n\r\nbody\r\n");
        }
    }

    private static long count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".eml")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void garbageBytesDoNotKillTheServer() throws Exception {
        start(Scenario.ACCEPT_ALL, null);
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
                byte[] junk = new byte[1 + random.nextInt(100_000)];
                random.nextBytes(junk);
                s.getOutputStream().write(junk);
                s.getOutputStream().flush();
            } catch (IOException ignored) {
                // the server may close or reset a connection full of nonsense
            }
        }
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            assertThat(c.reply()).startsWith("220");
            assertThat(c.command("EHLO c")).startsWith("250 ");
        }
    }

    @Test
    void thousandsOfIdleConnectionsAndTheServerStillAnswers() throws Exception {
        // both ends live in this JVM: each connection costs two descriptors
        int connections = (int) Math.min(2000, (maxFileDescriptors() - 500) / 2);
        org.junit.jupiter.api.Assumptions.assumeTrue(connections >= 500, "too few file descriptors for this test");
        start(TestScenario.of(limits(0, 0)), null);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                Socket s = new Socket();
                s.connect(server.address(), 30_000);
                idle.add(s);
            }
            assertThat(EventLog.poll(() -> server.activeConnections() == connections, Duration.ofSeconds(60))).isTrue();
            try (RawSmtpClient c = new RawSmtpClient(server.address())) {
                assertThat(c.reply()).startsWith("220");
                assertThat(c.command("NOOP")).startsWith("250");
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertThat(EventLog.poll(() -> server.activeConnections() == 0, Duration.ofSeconds(60))).isTrue();
    }

    private static long maxFileDescriptors() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return 4500;
    }

    @Test
    void closeStopsAcceptingAndEndsSessions() throws Exception {
        start(Scenario.ACCEPT_ALL, null);
        InetSocketAddress address = server.address();
        RawSmtpClient c = new RawSmtpClient(address);
        c.reply();
        server.close();
        assertThat(c.closedByServer()).isTrue();
        c.close();
        server = null;
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } catch (IOException refused) {
            // nothing listens any more
        }
    }

    @Test
    void starttlsLeftoverPolicyCloseEndsTheSession() throws Exception {
        ProtocolOptions d = ProtocolOptions.defaults();
        ProtocolOptions closing = new ProtocolOptions(d.hostname(), d.advertised(), d.refused(), d.sizeLimit(),
                d.maxRecipients(), d.maxCommandLine(), d.bareLineFeed(), ProtocolOptions.StarttlsLeftoverPolicy.CLOSE,
                d.idleTimeout(), Map.of(), false, false, 0, 0, false);
        start(TestScenario.of(closing), null);
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            c.reply();
            c.command("EHLO c");
            c.send("STARTTLS\r\nMAIL FROM:<injected@x>\r\n");
            assertThat(c.reply()).startsWith("220 2.0.0");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(log.events).noneMatch(e -> e.stage() == Stage.MAIL);
    }

    @Test
    void idleTimerRestartsAfterADelayedReply() throws Exception {
        ProtocolOptions d = ProtocolOptions.defaults().withIdleTimeout(Duration.ofMillis(1500));
        start(new TestScenario(d, c -> c.stage() == Stage.NOOP
                ? new Outcome.Proceed("slow", Duration.ofMillis(1200), false) : Outcome.PROCEED), null);
        try (RawSmtpClient c = new RawSmtpClient(server.address())) {
            c.reply();
            assertThat(c.command("NOOP")).startsWith("250 2.0.0");
            // the client thinks for a while, well under the idle timeout measured from our reply
            Thread.sleep(800);
            // had our 1.2 s delay counted as client idleness, the 421 would come first
            assertThat(c.command("RSET")).startsWith("250 2.0.0");
            assertThat(c.reply()).startsWith("421 4.4.2");
        }
    }
}
