package dev.bouncewatch.agent.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.DeliveryOutcome.Kind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookResponsesTest {

    private static final Instant NOW = Instant.parse("2026-11-28T14:00:00Z");

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
            "200, DELIVERED", "202, DELIVERED", "204, DELIVERED",
            "301, RETRY", "302, RETRY", "307, RETRY",
            "400, DEAD", "406, DEAD", "413, DEAD", "422, DEAD",
            "401, PAUSE", "403, PAUSE", "404, PAUSE", "410, PAUSE",
            "405, RETRY", "408, RETRY", "409, RETRY", "429, RETRY",
            "500, RETRY", "502, RETRY", "503, RETRY", "504, RETRY",
    })
    void classifiesStatusCodes(int status, Kind kind) {
        assertThat(WebhookResponses.classify(status, null, null, "", NOW).kind()).isEqualTo(kind);
    }

    @Test
    void retryAfterInSecondsOrAsADateIsKept() {
        assertThat(WebhookResponses.classify(429, "120", null, "", NOW).retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(WebhookResponses.classify(503, "Sat, 28 Nov 2026 14:05:00 GMT", null, "", NOW).retryAfter())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(WebhookResponses.classify(503, "soon", null, "", NOW).retryAfter()).isNull();
    }

    @Test
    void abortMessageFromTheReceiverStopsRetries() {
        DeliveryOutcome o = WebhookResponses.classify(500, null, "abort-message", "", NOW);
        assertThat(o.kind()).isEqualTo(Kind.DEAD);
        assertThat(o.detail()).contains("abort-message");
        assertThat(WebhookResponses.classify(200, null, "abort-message", "", NOW).kind()).isEqualTo(Kind.DELIVERED);
    }

    @Test
    void detailShowsTheBodyBoundedAndWithoutControlCharacters() {
        DeliveryOutcome o = WebhookResponses.classify(500, null, null, "oops\r\nX-Forged: 1\u001b[31m" + "x".repeat(5000), NOW);
        assertThat(o.detail()).startsWith("HTTP 500: oops\\r\\nX-Forged: 1\\u001b[31m").hasSizeLessThanOrEqualTo(300)
                .doesNotContain("\n", "\u001b");
        assertThat(WebhookResponses.classify(302, null, null, "", NOW).detail()).contains("redirects are not followed");
    }
}
