package dev.bouncewatch.agent.notify.slack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncewatch.agent.config.SlackConfig;
import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.DeliveryOutcome.Kind;
import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.store.OutboxEntry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Slack incoming webhook. It takes summaries only (alerts, health, the digest, tests), never one
 * message per bounce. {@link #send} makes exactly one POST, waiting first for the URL's token
 * bucket; retries, backoff and pausing are the outbox worker's job, driven by the outcome. The URL
 * is a secret: it never appears in a log line or an outcome.
 */
public final class SlackDestination implements Destination {

    /** The event types Slack ever gets. */
    public static final Set<EventType> TYPES = Set.copyOf(EnumSet.of(EventType.ALERT_FIRING, EventType.ALERT_RESOLVED,
            EventType.REPORT_DIGEST, EventType.AGENT_HEALTH, EventType.WEBHOOK_TEST));
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(SlackDestination.class);
    private static final int MAX_BODY_BYTES = 1024;
    private static final String USER_AGENT = "bouncewatch/" + version();

    private final SlackConfig config;
    private final URI uri;
    private final Set<EventType> types;
    private final SlackMessageRenderer renderer;
    private final HttpClient http;
    private final TokenBucket bucket;
    private final Clock clock;

    /**
     * @param http must not follow redirects (see {@link #newHttpClient()})
     * @throws IllegalArgumentException when the URL is not https (and insecure is not allowed) or
     *                                  not a usable URL; the message names the destination, not the URL
     */
    public SlackDestination(SlackConfig config, SlackMessageRenderer renderer, HttpClient http, SlackRateLimits limits,
                            Clock clock) {
        this.config = config;
        this.uri = checkedUri(config);
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the Slack HTTP client must not follow redirects");
        }
        Set<EventType> wanted = config.events().isEmpty() ? TYPES : config.events();
        this.types = Set.copyOf(wanted.stream().filter(TYPES::contains).toList());
        this.renderer = renderer;
        this.http = http;
        this.bucket = limits.forUrl(uri.toString());
        this.clock = clock;
    }

    /** A client for Slack destinations: no redirects, bounded connect time. One per agent is enough. */
    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(CONNECT_TIMEOUT).build();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public String kind() {
        return "slack";
    }

    /** Slack never takes per-message events: the notifier need not build them for Slack. */
    @Override
    public boolean mayAccept(EventType type) {
        return types.contains(type);
    }

    @Override
    public boolean accepts(NotificationEvent event) {
        EventType type;
        try {
            type = EventType.fromWireName(event.type());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!types.contains(type)) {
            return false;
        }
        JsonNode alert = event.data().path("alerts").path(0);
        if (type == EventType.AGENT_HEALTH) {
            // news that this destination is broken goes out through the others
            JsonNode scope = alert.path("scope");
            return !("destination".equals(scope.path("key").asText()) && name().equals(scope.path("value").asText()));
        }
        if (type == EventType.ALERT_FIRING || type == EventType.ALERT_RESOLVED) {
            String severity = alert.path("severity").asText("");
            try {
                return severity.isEmpty() || AlertSeverity.fromWireName(severity).atLeast(config.minSeverity());
            } catch (IllegalArgumentException e) {
                return true;
            }
        }
        return true;
    }

    @Override
    public String render(NotificationEvent event) {
        return renderer.render(event);
    }

    @Override
    public DeliveryOutcome send(OutboxEntry entry) throws InterruptedException {
        long wait = bucket.reserve();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(entry.payload(), StandardCharsets.UTF_8))
                .build();
        DeliveryOutcome outcome;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
            }
            String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            outcome = SlackResponses.classify(response.statusCode(), body, retryAfter, clock.instant());
            if (response.statusCode() == 429) {
                bucket.holdOff(outcome.retryAfter());
            }
        } catch (HttpTimeoutException e) {
            outcome = new DeliveryOutcome(Kind.RETRY, null, "timed out after " + config.timeout().toSeconds() + "s");
        } catch (IOException e) {
            // exception texts of the JDK client can carry the URI: only the type goes into the outcome
            outcome = new DeliveryOutcome(Kind.RETRY, null, "connection failed (" + e.getClass().getSimpleName() + ")");
        }
        LOG.debug("slack {}: entry {} ({}) -> {} {}", name(), entry.id(), entry.eventType(), outcome.kind(), outcome.detail());
        return outcome;
    }

    private static URI checkedUri(SlackConfig config) {
        String where = "notify.slack '" + config.name() + "': url ";
        URI u;
        try {
            u = new URI(config.url().reveal().strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + "(" + config.url().origin() + ") is not a valid URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (u.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException(where + "(" + config.url().origin() + ") must be an https:// URL");
        }
        if (scheme.equals("http") && !config.allowInsecure()) {
            throw new IllegalArgumentException(where + "(" + config.url().origin()
                    + ") is plain http; use https, or set allowInsecure: true for a receiver on loopback or in a test");
        }
        return u;
    }

    private static String version() {
        String v = SlackDestination.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
