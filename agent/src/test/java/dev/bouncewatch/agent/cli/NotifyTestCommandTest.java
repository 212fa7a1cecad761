package dev.bouncewatch.agent.cli;

import static dev.bouncewatch.agent.notify.webhook.WebhookReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.bouncewatch.agent.config.ConfigLoader;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.Notifications;
import dev.bouncewatch.agent.notify.delivery.DeliverySettings;
import dev.bouncewatch.agent.notify.delivery.OutboxDispatcher;
import dev.bouncewatch.agent.notify.delivery.OutboxQueue;
import dev.bouncewatch.agent.notify.webhook.WebhookReceiver;
import dev.bouncewatch.agent.notify.webhook.WebhookReceiver.Reply;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bouncewatch notify test} with and without a running agent, against a real receiver. */
class NotifyTestCommandTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @TempDir
    Path dir;
    private final WebhookReceiver receiver = new WebhookReceiver(SECRET);

    @AfterEach
    void stop() {
        receiver.close();
    }

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        NotifyTestCommand command = new NotifyTestCommand();
        command.config.environment = Map.of("HOOK_SECRET", SECRET)::get;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path config(String http) throws Exception {
        Path config = dir.resolve("agent.yml");
        Files.writeString(config, """
                stateDir: state
                http:
                %s
                notify:
                  console: false
                  webhooks:
                    - name: crm
                      url: %s
                      secret: {env: HOOK_SECRET}
                      allowInsecure: true
                      events: [message.bounced]
                """.formatted(http, receiver.url()));
        return config;
    }

    private List<OutboxEntry> entries() throws Exception {
        try (Store store = Store.open(dir.resolve("state/bouncewatch.db"))) {
            return new OutboxQueue(store).list(null, null, 100);
        }
    }

    @Test
    void withoutARunningAgentItSendsAtOnceWhateverTheFiltersSay() throws Exception {
        Run r = run("--config", config("  enabled: false").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("crm (webhook): delivered (HTTP 200)");
        assertThat(receiver.accepted()).singleElement().satisfies(got -> {
            assertThat(got.type()).isEqualTo("webhook.test");
            assertThat(got.json().path("data").path("destination").asText()).isEqualTo("crm");
        });
        assertThat(receiver.badSignatures()).isZero();
        assertThat(entries()).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo("delivered");
            assertThat(e.eventId()).isEqualTo(receiver.acceptedIds().get(0));
        });
    }

    @Test
    void aFailedTestSaysWhatTheAgentWouldDoAndIsNotRetried() throws Exception {
        receiver.script((n, id) -> Reply.status(404));
        Run r = run("--config", config("  enabled: false").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("crm (webhook): FAILED, the agent would pause this destination until it is fixed: HTTP 404");
        assertThat(entries()).singleElement().satisfies(e -> assertThat(e.state()).isEqualTo("dead"));
    }

    @Test
    void unknownDestinationsAreNamed() throws Exception {
        Run r = run("--config", config("  enabled: false").toString(), "--destination", "slack");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no destination named 'slack'; configured: crm");
        assertThat(receiver.requests()).isZero();
    }

    @Test
    void withARunningAgentItsWorkersSendTheTest() throws Exception {
        // the "agent": something answering /healthz on the configured address, and a worker on the same database
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        api.createContext("/healthz", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        api.start();
        Path config = config("  listen: 127.0.0.1:" + api.getAddress().getPort());
        var loaded = new ConfigLoader(Map.of("HOOK_SECRET", SECRET)::get).load(config).config();
        try (Store store = Store.open(loaded.databaseFile())) {
            List<Destination> destinations = Notifications.destinations(loaded.notifications(), Clock.systemUTC());
            try (OutboxDispatcher agent = new OutboxDispatcher(store, destinations,
                    DeliverySettings.defaults().withPollInterval(Duration.ofMillis(100)), Clock.systemUTC())) {
                agent.start();
                Run r = run("--config", config.toString());
                assertThat(r.exit()).as(r.out() + r.err()).isZero();
                assertThat(r.out()).contains("the agent is running", "crm (webhook): delivered by the running agent");
                await("the test event", Duration.ofSeconds(30), () -> receiver.accepted().size() == 1);
                assertThat(receiver.requests()).as("sent once, by the agent").isEqualTo(1);
            }
        } finally {
            api.stop(0);
        }
    }
}
