package dev.bouncewatch.agent.http;

import static dev.bouncewatch.agent.http.ApiTestAgent.NOW;
import static dev.bouncewatch.agent.http.ApiTestAgent.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncewatch.agent.source.SourceHealth.State;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class HealthEndpointTest {

    @TempDir
    Path dir;
    ApiTestAgent agent;

    @BeforeEach
    void start() throws Exception {
        agent = ApiTestAgent.start(dir, "s3cret-token");
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void readingAndWaitingByDesignAreHealthyAndNeedNoToken() throws Exception {
        agent.status.set(TestStatus.file("/var/log/mail.log", State.RUNNING, 2048, null, NOW.minusSeconds(5)),
                TestStatus.journal(State.WAITING));
        HttpResponse<String> response = withoutToken("/healthz");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode h = json(response);
        assertThat(h.get("status").asText()).isEqualTo("ok");
        assertThat(h.get("problems")).isEmpty();
        assertThat(h.get("uptimeSeconds").asLong()).isEqualTo(Duration.ofHours(3).toSeconds());
        JsonNode file = h.get("sources").get(0);
        assertThat(file.get("id").asText()).isEqualTo("file:/var/log/mail.log");
        assertThat(file.get("state").asText()).isEqualTo("running");
        assertThat(file.get("lagBytes").asLong()).isEqualTo(2048);
        assertThat(file.get("lagSeconds").asDouble()).isEqualTo(0.25);
        assertThat(file.get("lastLineTime").asText()).isEqualTo(NOW.minusSeconds(5).toString());
        assertThat(file.get("skipped").get("garbage").asLong()).isEqualTo(4);
        assertThat(file.get("skipped").get("too_long").asLong()).isEqualTo(1);
        assertThat(file.get("skipped").get("truncated").asLong()).isZero();
        assertThat(file.get("errors").asLong()).isZero();
        JsonNode journal = h.get("sources").get(1);
        assertThat(journal.get("state").asText()).isEqualTo("waiting");
        assertThat(journal.get("lagBytes").isNull()).isTrue();
        assertThat(journal.get("lastLineTime").isNull()).isTrue();
    }

    @Test
    void aFailingOrStoppedSourceIs503WithTheReason() {
        agent.status.set(TestStatus.file("/var/log/mail.log", State.FAILING, 0, "Permission denied", NOW),
                TestStatus.journal(State.STOPPED));
        HttpResponse<String> response = withoutToken("/healthz");
        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode h = json(response);
        assertThat(h.get("status").asText()).isEqualTo("unhealthy");
        assertThat(h.get("problems")).extracting(JsonNode::asText)
                .containsExactly("file:/var/log/mail.log is failing: Permission denied", "journal:postfix is stopped");
        assertThat(h.get("sources").get(0).get("errors").asLong()).isEqualTo(3);
        assertThat(h.get("sources").get(0).get("lastError").asText()).isEqualTo("Permission denied");
    }

    @Test
    void anAgentWithoutSourcesIsNotHealthy() {
        HttpResponse<String> response = withoutToken("/healthz");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("problems").get(0).asText()).isEqualTo("no sources are running");
    }

    private HttpResponse<String> withoutToken(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(agent.uri(path).toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
