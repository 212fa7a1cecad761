package dev.bouncewatch.agent.notify.webhook;

import dev.bouncewatch.agent.config.Secret;
import dev.bouncewatch.agent.config.WebhookConfig;
import dev.bouncewatch.agent.notify.BoundedBody;
import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.DeliveryOutcome.Kind;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.DestinationUrl;
import dev.bouncewatch.agent.notify.EventFilter;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.RemoteText;
import dev.bouncewatch.agent.notify.event.EventJson;
import dev.bouncewatch.agent.store.OutboxEntry;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A generic HTTPS endpoint that gets one signed POST per event (Standard Webhooks): the body is the
 * event JSON as rendered when it was queued; {@code webhook-id} is the event id, the same on every
 * retry; {@code webhook-timestamp} and the signature are made fresh for each attempt.
 */
public final class WebhookDestination implements Destination {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDestination.class);
    /** Enough to show why a receiver refused; the rest of a large error page is not read. */
    static final int MAX_RESPONSE_BYTES = 4096;

    private final String name;
    private final URI url;
    private final WebhookSigner signer;
    private final EventFilter filter;
    private final Duration timeout;
    private final HttpClient client;
    private final Clock clock;

    public WebhookDestination(WebhookConfig config, HttpClient client, Clock clock) {
        this.name = config.name();
        this.url = config.url();
        DestinationUrl.problem(url, config.allowInsecure()).ifPresent(p -> {
            throw new IllegalArgumentException("webhook '" + name + "': " + p);
        });
        if (DestinationUrl.insecureRemote(url)) {
            LOG.warn("webhook '{}' sends over plain http to {}, which is not loopback: events travel unencrypted",
                    name, DestinationUrl.forLog(url));
        }
        if (config.secrets().isEmpty()) {
            throw new IllegalArgumentException("webhook '" + name + "': a signing secret is required");
        }
        List<WebhookSecret> secrets = config.secrets().stream().map(WebhookDestination::parse).toList();
        this.signer = new WebhookSigner(secrets);
        this.filter = new EventFilter(config.events(), config.categories(), config.domains());
        this.timeout = config.timeout();
        this.client = client;
        this.clock = clock;
    }

    /** The client every webhook destination shares: redirects never followed, HTTP/1.1 (no h2c upgrade surprises). */
    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static WebhookSecret parse(Secret secret) {
        try {
            return WebhookSecret.parse(secret.reveal());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret from " + secret.origin() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "webhook";
    }

    public EventFilter filter() {
        return filter;
    }

    @Override
    public boolean accepts(NotificationEvent event) {
        return filter.accepts(event);
    }

    @Override
    public boolean mayAccept(EventType type) {
        return filter.types().contains(type);
    }

    @Override
    public String render(NotificationEvent event) {
        return EventJson.write(event);
    }

    @Override
    public DeliveryOutcome send(OutboxEntry entry) throws InterruptedException {
        byte[] body = entry.payload().getBytes(StandardCharsets.UTF_8);
        Instant now = clock.instant();
        long timestamp = now.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", EventJson.AGENT + "/" + EventJson.agentVersion())
                .header(WebhookSigner.ID_HEADER, entry.eventId())
                .header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSigner.SIGNATURE_HEADER, signer.signature(entry.eventId(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        // the client's timeout ends at the response headers; the whole exchange, body included, gets twice that
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request, BoundedBody.handler(MAX_RESPONSE_BYTES));
        try {
            HttpResponse<String> response = pending.get(2 * timeout.toMillis(), TimeUnit.MILLISECONDS);
            return WebhookResponses.classify(response.statusCode(),
                    response.headers().firstValue("retry-after").orElse(null),
                    response.headers().firstValue(WebhookResponses.DELIVERY_HEADER).orElse(null),
                    response.body(), clock.instant());
        } catch (TimeoutException e) {
            pending.cancel(true);
            return retry("no complete answer within " + describe(timeout));
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                return retry("connect timed out");
            }
            if (cause instanceof HttpTimeoutException) {
                return retry("no answer within " + describe(timeout));
            }
            if (cause instanceof ConnectException) {
                return retry("connection refused or unreachable");
            }
            // the JDK client's messages may quote the URL, whose path or query may hold the receiver's token
            return retry(cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + DestinationUrl.redacted(cause.getMessage(), url)));
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static DeliveryOutcome retry(String detail) {
        return new DeliveryOutcome(Kind.RETRY, null, RemoteText.bounded(RemoteText.escapeControls(detail), 300));
    }

    @Override
    public String toString() {
        return "webhook " + name + " -> " + DestinationUrl.forLog(url);
    }
}
