package dev.bouncewatch.agent.http;

import static dev.bouncewatch.agent.http.ApiTestAgent.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot be read makes the data endpoints 503 and the metrics say so; nothing crashes. */
@Timeout(120)
class StoreUnavailableTest {

    @TempDir
    Path dir;

    @Test
    void dataEndpointsAnswer503AndMetricsStillScrape() throws Exception {
        try (ApiTestAgent agent = ApiTestAgent.start(dir)) {
            agent.store.close();
            for (String path : new String[] {"/api/results", "/api/stats", "/api/suppressions",
                    "/api/suppressions?format=csv", "/api/suppressions/a@example.com"}) {
                HttpResponse<String> response = agent.get(path);
                assertThat(response.statusCode()).as(path).isEqualTo(503);
                assertThat(json(response).get("error").asText()).as(path).startsWith("the store could not be read");
            }
            HttpResponse<String> write = agent.post("/api/suppressions", "application/json", "{\"address\": \"a@example.com\"}");
            assertThat(write.statusCode()).isEqualTo(503);

            HttpResponse<String> metrics = agent.get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            Map<String, PrometheusFormat.Family> m = PrometheusFormat.parse(metrics.body());
            assertThat(m.get("bouncewatch_store_up").samples().get(0).value()).isZero();
            assertThat(m.get("bouncewatch_store_results").samples()).isEmpty();
        }
    }
}
