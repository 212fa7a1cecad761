package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.agent.config.SourceConfig;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import dev.bouncewatch.testmta.client.AddressTemplate;
import dev.bouncewatch.testmta.client.LoadOptions;
import dev.bouncewatch.testmta.client.LoadResult;
import dev.bouncewatch.testmta.client.SmtpLoadClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded sink with real SMTP clients: every reply that decides a delivery becomes a result. */
@Timeout(120)
class SinkSourceTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    @TempDir
    Path dir;

    private final CollectingListener listener = new CollectingListener();
    private SinkSource source;

    @AfterEach
    void tearDown() {
        if (source != null) {
            source.close();
        }
    }

    private InetSocketAddress start(SourceConfig.Sink config) {
        source = new SinkSource(config);
        source.start(null, listener);
        Await.until("the sink listening", () -> source.boundAddress() != null);
        return source.boundAddress();
    }

    private Map<String, DeliveryResult> byRecipient(int expected) {
        Await.until(expected + " results", () -> listener.results().size() >= expected, listener::results);
        assertThat(listener.results()).hasSize(expected);
        return listener.results().stream().collect(Collectors.toMap(DeliveryResult::recipient, Function.identity()));
    }

    @Test
    void magicAddressesBecomeBouncedDeferredAndDeliveredResults() throws Exception {
        InetSocketAddress sink = start(new SourceConfig.Sink(ANY_PORT, null));
        try (PlainSmtpClient smtp = new PlainSmtpClient(sink)) {
            assertThat(smtp.greeting()).startsWith("220 ");
            assertThat(smtp.send("EHLO client.example.test")).startsWith("250 ");
            assertThat(smtp.send("MAIL FROM:<sender@example.test>")).startsWith("250 ");
            assertThat(smtp.send("RCPT TO:<ok@example.org>")).startsWith("250 ");
            assertThat(smtp.send("RCPT TO:<550-5.1.1@example.org>")).startsWith("550 5.1.1");
            assertThat(smtp.send("RCPT TO:<452@example.org>")).startsWith("452 ");
            assertThat(smtp.send("RCPT TO:<also-ok@example.org>")).startsWith("250 ");
            assertThat(smtp.send("DATA")).startsWith("354 ");
            assertThat(smtp.send("Message-ID: <m1@example.test>\r\nSubject: hi\r\n\r\nbody\r\n.")).startsWith("250 ");
            assertThat(smtp.send("MAIL FROM:<sender@example.test>")).startsWith("250 ");
            assertThat(smtp.send("RCPT TO:<421@example.org>")).startsWith("421 ");
        }

        Map<String, DeliveryResult> results = byRecipient(5);
        DeliveryResult unknown = results.get("550-5.1.1@example.org");
        assertThat(unknown.status()).isEqualTo(DeliveryStatus.BOUNCED);
        assertThat(unknown.mta()).isEqualTo(Mta.SINK);
        assertThat(unknown.replyCode()).isEqualTo(550);
        assertThat(unknown.dsn()).isEqualTo("5.1.1");
        assertThat(unknown.diagnostic()).startsWith("550 5.1.1 ");
        assertThat(unknown.stage()).isEqualTo(SmtpStage.RCPT);
        assertThat(unknown.sender()).isEqualTo("sender@example.test");
        assertThat(unknown.host()).isEqualTo("client.example.test");
        assertThat(unknown.relay()).isEqualTo("test-mta.localhost");
        assertThat(unknown.relayIp()).isEqualTo("127.0.0.1");
        assertThat(unknown.queueId()).isEqualTo("s1");
        assertThat(unknown.attempts()).isEqualTo(1);
        assertThat(unknown.time()).isNotNull();

        DeliveryResult full = results.get("452@example.org");
        assertThat(full.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(full.replyCode()).isEqualTo(452);
        assertThat(full.dsn()).startsWith("4.");

        for (String accepted : List.of("ok@example.org", "also-ok@example.org")) {
            DeliveryResult r = results.get(accepted);
            assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(r.stage()).isEqualTo(SmtpStage.DATA_END);
            assertThat(r.replyCode()).isEqualTo(250);
            assertThat(r.messageId()).isEqualTo("<m1@example.test>");
        }

        DeliveryResult closing = results.get("421@example.org");
        assertThat(closing.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(closing.replyCode()).isEqualTo(421);

        assertThat(listener.batches()).allSatisfy(b -> {
            assertThat(b.sourceId()).isEqualTo("sink:127.0.0.1:0");
            assertThat(b.position()).isNull();
            assertThat(b.lines()).isEmpty();
        });
        SourceHealth health = source.health();
        assertThat(health.state()).isEqualTo(SourceHealth.State.RUNNING);
        assertThat(health.type()).isEqualTo("sink");
        assertThat(health.linesRead()).isEqualTo(5);
        assertThat(health.errors()).isZero();
    }

    @Test
    void scenarioRulesDecideAndRefusalsWithoutRecipientsAreCountedNotInvented() throws Exception {
        Path scenario = dir.resolve("staging.yaml");
        Files.writeString(scenario, """
                version: 1
                protocol: { hostname: mx.staging.example }
                rules:
                  - id: blocked-sender
                    when: { stage: mail, mail_from: "blocked@*" }
                    then: { reply: "554 5.7.1 Sender blocked" }
                  - id: spam
                    when: { stage: data_end, rcpt_domain: spam.test }
                    then: { reply: "554 5.7.1 Message rejected as spam" }
                """);
        InetSocketAddress sink = start(new SourceConfig.Sink(ANY_PORT, scenario));
        try (PlainSmtpClient smtp = new PlainSmtpClient(sink)) {
            smtp.greeting();
            smtp.send("EHLO client.example.test");
            assertThat(smtp.send("MAIL FROM:<blocked@example.test>")).startsWith("554 5.7.1");
            assertThat(smtp.send("MAIL FROM:<news@example.test>")).startsWith("250 ");
            smtp.send("RCPT TO:<a@spam.test>");
            smtp.send("RCPT TO:<b@spam.test>");
            smtp.send("DATA");
            assertThat(smtp.send("Subject: win\r\n\r\nbuy now\r\n.")).startsWith("554 5.7.1 Message rejected");
        }

        Map<String, DeliveryResult> results = byRecipient(2);
        assertThat(results.values()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(DeliveryStatus.BOUNCED);
            assertThat(r.stage()).isEqualTo(SmtpStage.DATA_END);
            assertThat(r.diagnostic()).isEqualTo("554 5.7.1 Message rejected as spam");
            assertThat(r.relay()).isEqualTo("mx.staging.example");
            assertThat(r.sender()).isEqualTo("news@example.test");
        });
        assertThat(source.unattributedRefusals()).isEqualTo(1);
    }

    @Test
    void everyMessageOfALoadRunIsAResult() throws Exception {
        InetSocketAddress sink = start(new SourceConfig.Sink(ANY_PORT, null));
        LoadResult delivered = SmtpLoadClient.run(LoadOptions.to(sink).withConnections(2).withMessages(60).withRecipients(2));
        LoadResult deferred = SmtpLoadClient.run(LoadOptions.to(sink).withMessages(20)
                .withAddresses(LoadOptions.DEFAULT_FROM, AddressTemplate.parse("451-4.3.0-{n}@example.test")));
        assertThat(delivered.connectionErrorCount()).isZero();
        assertThat(deferred.connectionErrorCount()).isZero();

        Await.until("140 results", () -> listener.results().size() >= 140, () -> listener.results().size());
        Map<DeliveryStatus, Long> counts = listener.results().stream()
                .collect(Collectors.groupingBy(DeliveryResult::status, Collectors.counting()));
        assertThat(counts).containsOnly(Map.entry(DeliveryStatus.DELIVERED, 120L), Map.entry(DeliveryStatus.DEFERRED, 20L));
        assertThat(source.droppedResults()).isZero();
    }

    @Test
    void whenTheListenerStallsResultsAreDroppedAndCountedNotBlockingSmtp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inListener = new CountDownLatch(1);
        CollectingListener after = new CollectingListener();
        source = new SinkSource(new SourceConfig.Sink(ANY_PORT, null),
                new SinkSource.Settings(2, 512, Backoff.DEFAULTS, Clock.systemUTC()));
        source.start(null, batch -> {
            inListener.countDown();
            release.await();
            after.onBatch(batch);
        });
        Await.until("the sink listening", () -> source.boundAddress() != null);

        try (PlainSmtpClient smtp = new PlainSmtpClient(source.boundAddress())) {
            smtp.greeting();
            smtp.send("EHLO client.example.test");
            smtp.send("MAIL FROM:<sender@example.test>");
            assertThat(smtp.send("RCPT TO:<550-first@example.org>")).startsWith("550 ");
            inListener.await();
            for (int i = 0; i < 6; i++) {
                // the SMTP side keeps answering while the pipeline does not take results
                assertThat(smtp.send("RCPT TO:<550-" + i + "@example.org>")).startsWith("550 ");
            }
        }

        Await.until("drops counted", () -> source.droppedResults() == 4);
        assertThat(source.health().errors()).isEqualTo(4);
        assertThat(source.health().lastError()).contains("queue full");
        release.countDown();
        Await.until("the queued results", () -> after.results().size() == 3, after::results);
    }

    @Test
    void aFailingListenerLosesThatBatchButNotTheSource() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        source = new SinkSource(new SourceConfig.Sink(ANY_PORT, null));
        source.start(null, batch -> {
            if (!failed.getAndSet(true)) {
                throw new IllegalStateException("store is read-only");
            }
            listener.onBatch(batch);
        });
        Await.until("the sink listening", () -> source.boundAddress() != null);
        try (PlainSmtpClient smtp = new PlainSmtpClient(source.boundAddress())) {
            smtp.greeting();
            smtp.send("EHLO client.example.test");
            smtp.send("MAIL FROM:<sender@example.test>");
            smtp.send("RCPT TO:<550-lost@example.org>");
            Await.until("the failure", () -> source.health().errors() == 1);
            smtp.send("RCPT TO:<550-kept@example.org>");
        }

        Await.until("the next result", () -> listener.results().size() == 1);
        assertThat(listener.results().get(0).recipient()).isEqualTo("550-kept@example.org");
        assertThat(source.health().lastError()).contains("store is read-only");
    }

    @Test
    void anAddressInUseIsFailingAndRetriedUntilItIsFree() throws Exception {
        InetSocketAddress taken;
        SinkSource s;
        try (ServerSocket blocker = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            taken = new InetSocketAddress("127.0.0.1", blocker.getLocalPort());
            s = new SinkSource(new SourceConfig.Sink(taken, null), new SinkSource.Settings(100, 512,
                    new Backoff.Settings(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(1)), Clock.systemUTC()));
            source = s;
            s.start(null, listener);
            Await.until("failing", () -> s.health().state() == SourceHealth.State.FAILING);
            assertThat(s.health().lastError()).startsWith("cannot listen on 127.0.0.1:" + taken.getPort());
        }
        Await.until("listening once the port is free", () -> s.health().state() == SourceHealth.State.RUNNING);
        assertThat(s.boundAddress()).isEqualTo(taken);
        assertThat(s.id()).isEqualTo("sink:127.0.0.1:" + taken.getPort());
    }

    @Test
    void closeStopsListening() throws Exception {
        InetSocketAddress sink = start(new SourceConfig.Sink(ANY_PORT, null));

        source.close();

        assertThat(source.health().state()).isEqualTo(SourceHealth.State.STOPPED);
        assertThat(source.boundAddress()).isNull();
        assertThatThrownBy(() -> new PlainSmtpClient(sink).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aBadScenarioFileIsAnErrorNamingFileAndLine() throws IOException {
        Path scenario = dir.resolve("bad.yaml");
        Files.writeString(scenario, "version: 1\nrules:\n  - id: x\n    when: { stage: rcpt }\n    then: { reply: \"999 nope\" }\n");

        assertThatThrownBy(() -> new SinkSource(new SourceConfig.Sink(ANY_PORT, scenario)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(scenario.toString())
                .hasMessageContaining(":5:");
        assertThatThrownBy(() -> new SinkSource(new SourceConfig.Sink(ANY_PORT, dir.resolve("missing.yaml"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file");
    }
}
