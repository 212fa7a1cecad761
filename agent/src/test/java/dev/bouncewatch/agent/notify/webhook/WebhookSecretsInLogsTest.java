package dev.bouncewatch.agent.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bouncewatch.agent.notify.DestinationUrl;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Receivers put tokens in a webhook URL's path and query: none of it may reach the log. */
class WebhookSecretsInLogsTest {

    private static final URI URL = URI.create("http://receiver.invalid:8080/hooks/catch/123/PATHTOKEN42/?key=QUERYTOKEN42");

    @Test
    void thePlainHttpWarningAndTheDescriptionNameTheHostButNoToken() {
        Logger log = (Logger) LoggerFactory.getLogger(WebhookDestination.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        WebhookDestination d;
        try {
            d = new WebhookDestination(WebhookDestinationTest.config("ops", URL, Duration.ofSeconds(5),
                    WebhookDestinationTest.SECRET), WebhookDestination.newHttpClient(), Clock.systemUTC());
        } finally {
            log.detachAppender(logged);
        }
        List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("http://receiver.invalid:8080/hooks/...");
        assertThat(lines.get(0) + d).doesNotContain("PATHTOKEN42", "QUERYTOKEN42", "123",
                WebhookDestinationTest.SECRET, WebhookDestinationTest.SECRET.substring("whsec_".length()));
    }

    @Test
    void forLogKeepsTheFirstPathSegmentOnly() {
        assertThat(DestinationUrl.forLog(URI.create("https://discord.com/api/webhooks/1/tok"))).isEqualTo("https://discord.com/api/...");
        assertThat(DestinationUrl.forLog(URI.create("https://example.com/bouncewatch"))).isEqualTo("https://example.com/bouncewatch");
        assertThat(DestinationUrl.forLog(URI.create("https://example.com/webhooks/"))).isEqualTo("https://example.com/webhooks/");
        assertThat(DestinationUrl.forLog(URI.create("https://example.com"))).isEqualTo("https://example.com");
    }

    @Test
    void anExceptionMessageQuotingTheUrlIsRedacted() {
        String message = "unexpected content at " + URL + " (path " + URL.getRawPath() + ", query " + URL.getQuery() + ")";
        String redacted = DestinationUrl.redacted(message, URL);
        assertThat(redacted).doesNotContain("PATHTOKEN42", "QUERYTOKEN42").contains("http://receiver.invalid:8080/hooks/...");
        assertThat(DestinationUrl.redacted("Connection reset", URL)).isEqualTo("Connection reset");
        assertThat(DestinationUrl.redacted(null, URL)).isNull();
    }
}
