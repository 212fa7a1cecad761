package dev.bouncewatch.agent.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.DeliveryOutcome.Kind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SlackResponsesTest {

    private static final Instant NOW = Instant.parse("2026-11-28T14:00:00Z");

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "200, ok, DELIVERED",
            "200, '{\"ok\":true}', DELIVERED",
            "429, rate_limited, RETRY",
            "500, rollup_error, RETRY",
            "502, '<html>bad gateway</html>', RETRY",
            "503, '', RETRY",
            "403, invalid_token, PAUSE",
            "404, no_service, PAUSE",
            "404, channel_not_found, PAUSE",
            "404, no_team, PAUSE",
            "410, channel_is_archived, PAUSE",
            "403, action_prohibited, PAUSE",
            "403, team_disabled, PAUSE",
            "400, invalid_payload, DEAD",
            "400, too_many_attachments, DEAD",
            "400, no_text, DEAD",
            "400, invalid_blocks, DEAD",
            "400, msg_blocks_too_long, DEAD",
            "400, something_new, DEAD",
            "404, '<html>not found</html>', PAUSE",
            "301, '', PAUSE",
            "302, '', PAUSE",
            "408, '', RETRY",
    })
    void classifiesSlacksAnswers(int status, String body, Kind expected) {
        DeliveryOutcome o = SlackResponses.classify(status, body, null, NOW);
        assertThat(o.kind()).isEqualTo(expected);
        assertThat(o.detail()).startsWith("HTTP " + status);
    }

    @Test
    void rateLimitHonoursRetryAfterSecondsDateOrBody() {
        assertThat(SlackResponses.classify(429, "rate_limited", "7", NOW).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(SlackResponses.classify(429, "rate_limited", "Sat, 28 Nov 2026 14:00:30 GMT", NOW).retryAfter())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(SlackResponses.classify(429, "{\"retry_after\":4,\"ok\":false,\"error\":\"rate_limited\"}", null, NOW)
                .retryAfter()).isEqualTo(Duration.ofSeconds(4));
        assertThat(SlackResponses.classify(429, "", null, NOW).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(SlackResponses.classify(429, "", "999999", NOW).retryAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(SlackResponses.classify(429, "", "garbage", NOW).retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void pauseDetailSaysWhatToDo() {
        assertThat(SlackResponses.classify(404, "no_service\n", null, NOW).detail())
                .isEqualTo("HTTP 404 no_service: the webhook was removed or disabled; create a new one and update the url");
    }

    @Test
    void errorWordIgnoresHtmlAndLongText() {
        assertThat(SlackResponses.errorWord("<html><body>Error</body></html>")).isEmpty();
        assertThat(SlackResponses.errorWord("no_service")).isEqualTo("no_service");
        assertThat(SlackResponses.errorWord("{\"ok\":false,\"error\":\"invalid_blocks\"}")).isEqualTo("invalid_blocks");
        assertThat(SlackResponses.errorWord(null)).isEmpty();
    }
}
