package dev.bouncewatch.agent.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.agent.config.Secret;
import dev.bouncewatch.agent.config.WebhookConfig;
import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.DeliveryOutcome.Kind;
import dev.bouncewatch.agent.notify.EventFilter;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.Results;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.notify.webhook.WebhookReceiver.Reply;
import dev.bouncewatch.agent.store.OutboxEntry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookDestinationTest {

    static final String SECRET = WebhookSignerTest.SPEC_SECRET;
    private static final HttpClient CLIENT = WebhookDestination.newHttpClient();

    private final WebhookReceiver receiver = new WebhookReceiver(SECRET);
    private final EventFactory factory = new EventFactory("mx1.example.net", Clock.systemUTC());

    @AfterEach
    void stop() {
        receiver.close();
    }

    static WebhookConfig config(String name, URI url, Duration timeout, String... secrets) {
        return new WebhookConfig(name, url, java.util.Arrays.stream(secrets).map(s -> new Secret(s, "config")).toList(),
                EventFilter.DEFAULT_TYPES, Set.of(), Set.of(), true, timeout);
    }

    private WebhookDestination destination(URI url, Duration timeout) {
        return new WebhookDestination(config("ops", url, timeout, SECRET), CLIENT, Clock.systemUTC());
    }

    private OutboxEntry entry(WebhookDestination d, NotificationEvent e) {
        return OutboxEntry.pending(d.name(), e.id(), e.type(), null, d.render(e), Instant.now());
    }

    @Test
    void postsTheEventSignedSoTheOfficialLibraryVerifiesIt() throws Exception {
        WebhookDestination d = destination(receiver.url(), Duration.ofSeconds(15));
        NotificationEvent e = factory.fromResult(Results.gmailUserUnknown(42, "jane@gmail.com"), null);
        DeliveryOutcome o = d.send(entry(d, e));

        assertThat(o.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(receiver.badSignatures()).isZero();
        assertThat(receiver.accepted()).hasSize(1);
        WebhookReceiver.Received got = receiver.accepted().get(0);
        assertThat(got.id()).isEqualTo(e.id());
        assertThat(got.type()).isEqualTo("message.bounced");
        assertThat(got.json().path("id").asText()).as("the body's id is the webhook-id").isEqualTo(e.id());
        assertThat(got.json().path("data").path("bounce").path("status").asText()).isEqualTo("5.1.1");
        assertThat(got.headers().get("Content-type")).containsExactly("application/json");
        assertThat(got.headers().get("User-agent").get(0)).startsWith("bouncewatch/");
        long ts = Long.parseLong(got.headers().get("Webhook-timestamp").get(0));
        assertThat(ts).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(600L));
    }

    @Test
    void retriesSendTheSameIdAndBodyAndTheReceiverDedupes() throws Exception {
        WebhookDestination d = destination(receiver.url(), Duration.ofSeconds(15));
        OutboxEntry entry = entry(d, factory.fromResult(Results.outlookDeferred(7, "bob@outlook.com"), null));
        assertThat(d.send(entry).kind()).isEqualTo(Kind.DELIVERED);
        assertThat(d.send(entry).kind()).isEqualTo(Kind.DELIVERED); // e.g. our timeout fired after they committed
        assertThat(receiver.accepted()).hasSize(1);
        assertThat(receiver.duplicates()).isEqualTo(1);
        assertThat(receiver.badSignatures()).isZero();
    }

    @Test
    void serverErrorsAndRateLimitsAreRetriedWithRetryAfter() throws Exception {
        WebhookDestination d = destination(receiver.url(), Duration.ofSeconds(15));
        OutboxEntry entry = entry(d, factory.webhookTest("ops"));
        receiver.script((n, id) -> n == 1 ? new Reply(500, Map.of(), "database is down", Duration.ZERO)
                : Reply.status(429, Map.of("Retry-After", "17")));
        DeliveryOutcome first = d.send(entry);
        assertThat(first.kind()).isEqualTo(Kind.RETRY);
        assertThat(first.detail()).isEqualTo("HTTP 500: database is down");
        DeliveryOutcome second = d.send(entry);
        assertThat(second.kind()).isEqualTo(Kind.RETRY);
        assertThat(second.retryAfter()).isEqualTo(Duration.ofSeconds(17));
        assertThat(receiver.accepted()).isEmpty();
    }

    @Test
    void redirectsAreNeverFollowed() throws Exception {
        try (WebhookReceiver elsewhere = new WebhookReceiver(SECRET)) {
            receiver.script((n, id) -> Reply.status(307, Map.of("Location", elsewhere.url().toString())));
            WebhookDestination d = destination(receiver.url(), Duration.ofSeconds(15));
            DeliveryOutcome o = d.send(entry(d, factory.webhookTest("ops")));
            assertThat(o.kind()).isEqualTo(Kind.RETRY);
            assertThat(o.detail()).contains("307", "not followed");
            assertThat(elsewhere.requests()).isZero();
        }
    }

    @Test
    void brokenEndpointsPauseAndRefusedBodiesDie() throws Exception {
        WebhookDestination d = destination(receiver.url(), Duration.ofSeconds(15));
        OutboxEntry entry = entry(d, factory.webhookTest("ops"));
        receiver.script((n, id) -> Reply.status(410));
        assertThat(d.send(entry).kind()).isEqualTo(Kind.PAUSE);
        receiver.script((n, id) -> Reply.status(422));
        assertThat(d.send(entry).kind()).isEqualTo(Kind.DEAD);
        receiver.script((n, id) -> Reply.status(500, Map.of("webhook-delivery", "abort-message")));
        assertThat(d.send(entry).kind()).isEqualTo(Kind.DEAD);
    }

    @Test
    void aSlowReceiverTimesOut() throws Exception {
        receiver.script((n, id) -> new Reply(200, Map.of(), "", Duration.ofSeconds(5)));
        WebhookDestination d = destination(receiver.url(), Duration.ofMillis(300));
        DeliveryOutcome o = d.send(entry(d, factory.webhookTest("ops")));
        assertThat(o.kind()).isEqualTo(Kind.RETRY);
        assertThat(o.detail()).isEqualTo("no answer within 300 ms");
    }

    @Test
    void aBodyThatNeverEndsCannotHoldTheWorker() throws Exception {
        try (ServerSocket trickle = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (java.net.Socket s = trickle.accept()) {
                    s.getInputStream().read(new byte[8192]);
                    var out = s.getOutputStream();
                    out.write("HTTP/1.1 500 Oops\r\nContent-Length: 1000000\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    for (int i = 0; i < 600; i++) { // a byte every 100 ms: a minute, unless we hang up
                        out.write('x');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // we hung up: expected
                }
            });
            server.setDaemon(true);
            server.start();
            WebhookDestination d = destination(URI.create("http://127.0.0.1:" + trickle.getLocalPort() + "/"), Duration.ofMillis(500));
            DeliveryOutcome o = d.send(entry(d, factory.webhookTest("ops")));
            assertThat(o.kind()).isEqualTo(Kind.RETRY);
            assertThat(o.detail()).isEqualTo("no complete answer within 500 ms");
        }
    }

    @Test
    void nobodyListeningIsARetry() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        WebhookDestination d = destination(URI.create("http://127.0.0.1:" + freePort + "/x"), Duration.ofSeconds(5));
        DeliveryOutcome o = d.send(entry(d, factory.webhookTest("ops")));
        assertThat(o.kind()).isEqualTo(Kind.RETRY);
        assertThat(o.detail()).contains("refused");
    }

    @Test
    void onlyTheStartOfAHugeErrorPageIsRead() throws Exception {
        receiver.script((n, id) -> new Reply(503, Map.of(), "<html>" + "overloaded ".repeat(200_000), Duration.ZERO));
        WebhookDestination d = destination(receiver.url(), Duration.ofSeconds(15));
        DeliveryOutcome o = d.send(entry(d, factory.webhookTest("ops")));
        assertThat(o.kind()).isEqualTo(Kind.RETRY);
        assertThat(o.detail()).startsWith("HTTP 503: <html>overloaded").hasSizeLessThanOrEqualTo(300);
    }

    @Test
    void rotationSignsWithEverySecret() throws Exception {
        String next = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        try (WebhookReceiver upgraded = new WebhookReceiver(next)) {
            for (WebhookReceiver r : List.of(receiver, upgraded)) {
                WebhookDestination d = new WebhookDestination(config("ops", r.url(), Duration.ofSeconds(15), next, SECRET),
                        CLIENT, Clock.systemUTC());
                assertThat(d.send(entry(d, factory.webhookTest("ops"))).kind()).isEqualTo(Kind.DELIVERED);
                assertThat(r.accepted()).hasSize(1);
                assertThat(r.accepted().get(0).headers().get("Webhook-signature").get(0).split(" ")).hasSize(2);
            }
        }
    }

    @Test
    void plainHttpNeedsAllowInsecureAndASecretIsRequired() {
        WebhookConfig insecure = new WebhookConfig("ops", receiver.url(), List.of(new Secret(SECRET, "config")),
                EventFilter.DEFAULT_TYPES, Set.of(), Set.of(), false, Duration.ofSeconds(15));
        assertThatThrownBy(() -> new WebhookDestination(insecure, CLIENT, Clock.systemUTC()))
                .hasMessageContaining("ops").hasMessageContaining("allowInsecure");
        assertThatThrownBy(() -> new WebhookDestination(config("ops", receiver.url(), Duration.ofSeconds(1)), CLIENT,
                Clock.systemUTC())).hasMessageContaining("secret is required");
        assertThatThrownBy(() -> new WebhookDestination(new WebhookConfig("ops", receiver.url(),
                List.of(new Secret("whsec_short", "env:HOOK_SECRET")), EventFilter.DEFAULT_TYPES, Set.of(), Set.of(), true,
                Duration.ofSeconds(1)), CLIENT, Clock.systemUTC()))
                .hasMessageContaining("env:HOOK_SECRET").hasMessageNotContaining("whsec_short");
    }
}
