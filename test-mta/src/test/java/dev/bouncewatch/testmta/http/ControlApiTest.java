package dev.bouncewatch.testmta.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.testmta.events.Events;
import dev.bouncewatch.testmta.events.RecentTransactions;
import dev.bouncewatch.testmta.events.SinkMetrics;
import dev.bouncewatch.testmta.scenario.Outcome;
import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.scenario.ScenarioException;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.scenario.ScenarioParser;
import dev.bouncewatch.testmta.session.ProtocolOptions;
import dev.bouncewatch.testmta.session.Stage;
import dev.bouncewatch.testmta.session.TransactionContext;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ControlApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A scenario that remembers its source text and how often its state was reset. */
    static final class StubScenario implements Scenario {
        final String text;
        final AtomicInteger resets = new AtomicInteger();

        StubScenario(String text) {
            this.text = text;
        }

        @Override
        public ProtocolOptions protocol() {
            return ProtocolOptions.defaults();
        }

        @Override
        public Outcome decide(TransactionContext context) {
            return Outcome.PROCEED;
        }

        @Override
        public void resetState() {
            resets.incrementAndGet();
        }
    }

    /** Accepts any text without "error:"; each such line is a problem at its line number. */
    private static final ScenarioParser PARSER = (text, source) -> {
        List<dev.bouncewatch.testmta.yaml.YamlProblem> problems = new java.util.ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("error:")) {
                problems.add(new dev.bouncewatch.testmta.yaml.YamlProblem(source, i + 1, 1, "rules[0]", lines[i].substring(6).trim()));
            }
        }
        if (text.contains("explode")) {
            throw new IllegalStateException("parser bug");
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        return new StubScenario(text);
    };

    private final StubScenario initial = new StubScenario("rules: []\n");
    private final ScenarioHolder holder = new ScenarioHolder(initial, "rules: []\n");
    private final RecentTransactions recent = new RecentTransactions(50);
    private final AtomicInteger active = new AtomicInteger(2);
    private final SinkMetrics metrics = new SinkMetrics(active::get, () -> holder.current().version(), () -> 0);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private ControlApi api;

    private ControlApi start(ControlApi.Settings settings) throws IOException {
        api = ControlApi.start(settings, holder, PARSER, recent, metrics, active::get);
        return api;
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + api.address().getPort() + pathAndQuery);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void clientsStalledMidRequestDoNotLockOutTheOthers() throws Exception {
        start(ControlApi.Settings.loopback(0));
        List<java.net.Socket> stalled = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < ControlApi.HANDLER_THREADS - 1; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", api.address().getPort());
                s.getOutputStream().write(("PUT /scenario HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nrules:\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stalled.add(s);
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/healthz"))
                    .timeout(Duration.ofSeconds(8)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            for (java.net.Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void bindsToLoopbackByDefault() throws Exception {
        start(ControlApi.Settings.loopback(0));
        assertThat(api.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(api.address().getPort()).isPositive();
    }

    @Test
    void getScenarioShowsSourceAndVersion() throws Exception {
        start(ControlApi.Settings.loopback(0));
        HttpResponse<String> r = get("/scenario");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("version").asLong()).isEqualTo(1);
        assertThat(json(r).get("source").asText()).isEqualTo("rules: []\n");
    }

    @Test
    void anEmptyBodyIsRefusedNotInstalledAsAcceptEverything() throws Exception {
        start(ControlApi.Settings.loopback(0));
        HttpResponse<String> r = put("/scenario", "  \n");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("empty body");
        assertThat(holder.current().version()).isEqualTo(1);
    }

    @Test
    void putInstallsAValidScenarioAndReturnsItsVersion() throws Exception {
        start(ControlApi.Settings.loopback(0));
        String yaml = "rules:\n  - id: reject-all\n";

        HttpResponse<String> r = put("/scenario", yaml);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("version").asLong()).isEqualTo(2);
        assertThat(holder.current().version()).isEqualTo(2);
        assertThat(((StubScenario) holder.scenario()).text).isEqualTo(yaml);
        assertThat(json(get("/scenario")).get("source").asText()).isEqualTo(yaml);
    }

    @Test
    void invalidScenarioGets422WithEveryProblemAndTheOldOneStays() throws Exception {
        start(ControlApi.Settings.loopback(0));

        HttpResponse<String> r = put("/scenario", "rules:\nerror: reply code 999 out of range\nerror: unknown key 'whne'\n");

        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode problems = json(r).get("problems");
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0).get("line").asInt()).isEqualTo(2);
        assertThat(problems.get(0).get("source").asText()).isEqualTo("request body");
        assertThat(problems.get(0).get("key").asText()).isEqualTo("rules[0]");
        assertThat(problems.get(1).get("message").asText()).isEqualTo("unknown key 'whne'");
        assertThat(holder.scenario()).isSameAs(initial);
        assertThat(holder.current().version()).isEqualTo(1);
    }

    @Test
    void parserFailureIsA500AndTheOldScenarioStays() throws Exception {
        start(ControlApi.Settings.loopback(0));
        HttpResponse<String> r = put("/scenario", "explode");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(json(r).get("error").asText()).contains("parser bug");
        assertThat(holder.scenario()).isSameAs(initial);
    }

    @Test
    void validateChecksWithoutInstalling() throws Exception {
        start(ControlApi.Settings.loopback(0));

        HttpResponse<String> ok = post("/scenario/validate", "rules: []\n");
        HttpResponse<String> bad = post("/scenario/validate", "error: nope\n");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("valid").asBoolean()).isTrue();
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(json(bad).get("problems").get(0).get("message").asText()).isEqualTo("nope");
        assertThat(holder.scenario()).isSameAs(initial);
        assertThat(holder.current().version()).isEqualTo(1);
    }

    @Test
    void stateResetReachesTheActiveScenario() throws Exception {
        start(ControlApi.Settings.loopback(0));
        HttpResponse<String> r = post("/state/reset", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(initial.resets.get()).isEqualTo(1);
    }

    @Test
    void transactionsAreNewestFirstAndFiltered() throws Exception {
        start(ControlApi.Settings.loopback(0));
        recent.onReply(Events.at("s1", Stage.CONNECT, 220));
        recent.onReply(Events.rcpt("s1", "a@example.test", 550, "5.1.1", "no such user", "unknown"));
        recent.onReply(Events.rcpt("s2", "b@example.test", 451, "4.7.1", "greylisted", "grey"));
        recent.onReply(Events.rcpt("s2", "c@example.test", 250, "2.1.5", "ok", null));

        JsonNode all = json(get("/transactions"));
        JsonNode rejected = json(get("/transactions?stage=rcpt&code=5xx"));
        JsonNode s2 = json(get("/transactions?session=s2&limit=1"));

        assertThat(all.get("count").asInt()).isEqualTo(4);
        assertThat(all.get("transactions").get(0).get("recipient").asText()).isEqualTo("c@example.test");
        assertThat(rejected.get("transactions")).hasSize(1);
        assertThat(rejected.get("transactions").get(0).get("rule").asText()).isEqualTo("unknown");
        assertThat(s2.get("transactions")).hasSize(1);
        assertThat(s2.get("transactions").get(0).get("code").asInt()).isEqualTo(250);
    }

    @Test
    void badTransactionQueriesGetClearErrors() throws Exception {
        start(ControlApi.Settings.loopback(0));
        for (String query : List.of("?limit=0", "?limit=abc", "?limit=51", "?stage=nope", "?code=9xx", "?colour=red")) {
            HttpResponse<String> r = get("/transactions" + query);
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(query).isNotBlank();
        }
    }

    @Test
    void metricsUseThePrometheusTextFormat() throws Exception {
        start(ControlApi.Settings.loopback(0));
        metrics.onReply(Events.rcpt("s1", "a@example.test", 550, "5.1.1", "no", "unknown"));

        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(
                "text/plain; version=0.0.4"));
        assertThat(r.body()).contains("testmta_replies_total{stage=\"rcpt\",code=\"550\",rule=\"unknown\"} 1\n",
                "testmta_active_connections 2\n", "testmta_scenario_version 1\n");
    }

    @Test
    void healthzReportsStatus() throws Exception {
        start(ControlApi.Settings.loopback(0));
        JsonNode h = json(get("/healthz"));
        assertThat(h.get("status").asText()).isEqualTo("ok");
        assertThat(h.get("active_connections").asInt()).isEqualTo(2);
    }

    @Test
    void tokenIsRequiredEverywhereButHealthz() throws Exception {
        start(ControlApi.Settings.loopback(0).withToken("s3cret"));

        HttpResponse<String> none = get("/scenario");
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri("/scenario")).header("Authorization", "Bearer nope"));
        HttpResponse<String> putWithout = put("/scenario", "rules: [x]\n");
        HttpResponse<String> right = send(HttpRequest.newBuilder(uri("/scenario")).header("Authorization", "Bearer s3cret"));
        HttpResponse<String> health = get("/healthz");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(putWithout.statusCode()).isEqualTo(401);
        assertThat(holder.current().version()).isEqualTo(1);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedBodyGets413AndChangesNothing() throws Exception {
        start(ControlApi.Settings.loopback(0).withMaxBodyBytes(1024));

        HttpResponse<String> r = put("/scenario", "x".repeat(4096));
        HttpResponse<String> huge = put("/scenario", "y".repeat(3 * 1024 * 1024));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).contains("1024 bytes");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(holder.current().version()).isEqualTo(1);
        assertThat(put("/scenario", "x".repeat(1000)).statusCode()).isEqualTo(200);
    }

    @Test
    void invalidUtf8BodyIsA400() throws Exception {
        start(ControlApi.Settings.loopback(0));
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/scenario"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'a', (byte) 0xC3, (byte) 0x28})));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("UTF-8");
        assertThat(holder.current().version()).isEqualTo(1);
    }

    @Test
    void wrongMethodsGet405WithAllowAndUnknownPaths404() throws Exception {
        start(ControlApi.Settings.loopback(0));

        HttpResponse<String> delete = send(HttpRequest.newBuilder(uri("/scenario")).DELETE());
        HttpResponse<String> getReset = get("/state/reset");
        HttpResponse<String> postMetrics = post("/metrics", "");
        HttpResponse<String> unknown = get("/scenarios");

        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, PUT");
        assertThat(getReset.statusCode()).isEqualTo(405);
        assertThat(getReset.headers().firstValue("Allow")).hasValue("POST");
        assertThat(postMetrics.statusCode()).isEqualTo(405);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).contains("/scenarios");
    }
}
