package dev.bouncewatch.agent.http;

import static dev.bouncewatch.agent.http.ApiTestAgent.NOW;
import static dev.bouncewatch.agent.http.ApiTestAgent.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncewatch.agent.classify.Category;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatsEndpointTest extends ApiTestBase {

    @BeforeEach
    void seed() throws Exception {
        // inside the last hour: 6 delivered, 3 user-unknown bounces, 1 deferral; one bounce 2 hours ago
        for (int i = 0; i < 6; i++) {
            agent.insert(Seeds.delivered("d" + i + "@gmail.com", NOW.minus(Duration.ofMinutes(5 + i * 9))));
        }
        for (int i = 0; i < 3; i++) {
            agent.insert(Seeds.bounced("u" + i + "@example.net", NOW.minus(Duration.ofMinutes(3 + i * 20)),
                    ResultsEndpointTest.USER_UNKNOWN));
        }
        agent.insert(Seeds.deferred("full@gmail.com", NOW.minus(Duration.ofMinutes(12)), ResultsEndpointTest.MAILBOX_FULL));
        agent.insert(Seeds.bounced("old@example.net", NOW.minus(Duration.ofHours(2)), ResultsEndpointTest.USER_UNKNOWN));
    }

    @Test
    void countsTheLastHourByStatusCategoryDomainAndTime() {
        HttpResponse<String> response = agent.get("/api/stats?window=1h&bucket=5m&domains=20");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode s = json(response);
        // the window ends at the next 5-minute boundary: NOW is on one
        assertThat(Instant.parse(s.get("until").asText())).isEqualTo(NOW);
        assertThat(Instant.parse(s.get("since").asText())).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(s.get("bucketSeconds").asLong()).isEqualTo(300);
        assertThat(s.get("windowSeconds").asLong()).isEqualTo(3600);
        assertThat(s.get("total").asLong()).isEqualTo(10);
        assertThat(s.get("byStatus").get("delivered").asLong()).isEqualTo(6);
        assertThat(s.get("byStatus").get("bounced").asLong()).isEqualTo(3);
        assertThat(s.get("byStatus").get("deferred").asLong()).isEqualTo(1);
        assertThat(s.get("byStatus").get("expired").asLong()).isZero();
        assertThat(s.get("bounceRate").asDouble()).isCloseTo(0.3, within(1e-9));
        assertThat(s.get("deferralRate").asDouble()).isCloseTo(0.1, within(1e-9));

        JsonNode timeline = s.get("timeline");
        assertThat(timeline).hasSize(12);
        long sum = 0;
        long bounced = 0;
        for (JsonNode b : timeline) {
            sum += b.get("total").asLong();
            bounced += b.get("bounced").asLong();
        }
        assertThat(sum).isEqualTo(10);
        assertThat(bounced).isEqualTo(3);

        JsonNode reason = s.get("topReasons").get(0);
        assertThat(reason.get("category").asText()).isEqualTo("userunknown");
        assertThat(reason.get("count").asLong()).isEqualTo(3);
        assertThat(reason.get("dsn").asText()).isEqualTo("5.1.1");
        assertThat(reason.get("sample").asText()).isEqualTo(ResultsEndpointTest.USER_UNKNOWN);
        assertThat(reason.get("advice").asText()).isEqualTo(Category.USERUNKNOWN.defaultAdvice());

        assertThat(s.get("byCategory").get(0).get("category").asText()).isEqualTo("userunknown");
        assertThat(s.get("byCategory").get(0).get("advice").asText()).isEqualTo(Category.USERUNKNOWN.defaultAdvice());

        JsonNode domains = s.get("byDomain");
        assertThat(domains).hasSize(2);
        assertThat(domains.get(0).get("domain").asText()).isEqualTo("gmail.com");
        assertThat(domains.get(0).get("total").asLong()).isEqualTo(7);
        assertThat(domains.get(1).get("domain").asText()).isEqualTo("example.net");
        assertThat(domains.get(1).get("bounceRate").asDouble()).isEqualTo(1.0);
    }

    @Test
    void defaultsToTheLastHourInMinuteBucketsAndTenYearsIsTheLongestWindow() {
        JsonNode s = json(agent.get("/api/stats"));
        assertThat(s.get("windowSeconds").asLong()).isEqualTo(3600);
        assertThat(s.get("timeline")).hasSize(60);
        assertThat(s.get("total").asLong()).isEqualTo(10);

        JsonNode day = json(agent.get("/api/stats?window=24h&domains=1"));
        assertThat(day.get("bucketSeconds").asLong()).isEqualTo(3600);
        assertThat(day.get("total").asLong()).isEqualTo(11);
        assertThat(day.get("byDomain")).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "window=0s|window",
            "window=30s|window",
            "window=forever|window",
            "window=1h&bucket=7m|bucket",
            "window=7d&bucket=1m|bucket",
            "window=1h&bucket=2h|bucket",
            "domains=0|domains",
            "domains=5000|domains",
            "since=1h|since",
    })
    void badParametersAre400sThatNameTheParameter(String query, String named) {
        HttpResponse<String> response = agent.get("/api/stats?" + query);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).startsWith(named.equals("since") ? "unknown parameter 'since'" : named);
    }

    @Test
    void theWindowEndsAtTheNextBucketBoundarySoRefreshesDrawTheSameBuckets() {
        Duration five = Duration.ofMinutes(5);
        assertThat(StatsEndpoint.windowEnd(Instant.parse("2026-11-29T12:00:00Z"), five)).isEqualTo("2026-11-29T12:00:00Z");
        assertThat(StatsEndpoint.windowEnd(Instant.parse("2026-11-29T12:00:00.001Z"), five)).isEqualTo("2026-11-29T12:05:00Z");
        assertThat(StatsEndpoint.windowEnd(Instant.parse("2026-11-29T12:04:59.999Z"), five)).isEqualTo("2026-11-29T12:05:00Z");
        assertThat(StatsEndpoint.windowEnd(Instant.parse("2026-11-29T12:34:00Z"), Duration.ofHours(1))).isEqualTo("2026-11-29T13:00:00Z");
    }

    @Test
    void defaultBucketsGiveAtMostSixtyPoints() {
        assertThat(StatsEndpoint.defaultBucket(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(1));
        assertThat(StatsEndpoint.defaultBucket(Duration.ofHours(24))).isEqualTo(Duration.ofHours(1));
        assertThat(StatsEndpoint.defaultBucket(Duration.ofDays(7))).isEqualTo(Duration.ofHours(3));
        assertThat(StatsEndpoint.defaultBucket(Duration.ofDays(30))).isEqualTo(Duration.ofHours(12));
    }
}
