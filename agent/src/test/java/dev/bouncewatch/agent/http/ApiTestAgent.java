package dev.bouncewatch.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.agent.config.HttpConfig;
import dev.bouncewatch.agent.config.Secret;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A real store (SQLite in a temporary directory) and the HTTP API on a free loopback port, with a
 * fixed clock so relative times ({@code since=1h}, the stats window) are exact.
 */
final class ApiTestAgent implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    final Store store;
    final TestStatus status;
    final AgentMetrics metrics;
    final HttpApi api;
    final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    private ApiTestAgent(Store store, TestStatus status, AgentMetrics metrics, HttpApi api, String token) {
        this.store = store;
        this.status = status;
        this.metrics = metrics;
        this.api = api;
        this.token = token;
    }

    static ApiTestAgent start(Path dir) throws IOException {
        return start(dir, null);
    }

    static ApiTestAgent start(Path dir, String token) throws IOException {
        Store store = Store.open(dir.resolve("bouncewatch.db"));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        HttpConfig config = new HttpConfig(true, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                token == null ? null : new Secret(token, "test"));
        TestStatus status = new TestStatus(NOW.minus(Duration.ofHours(3)));
        AgentMetrics metrics = new AgentMetrics();
        try {
            HttpApi api = HttpApi.start(config, store.reader(), new StoreSuppressionEditor(store, clock), status,
                    metrics, clock);
            return new ApiTestAgent(store, status, metrics, api, token);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Commits the results in one transaction, as the pipeline does, and returns them with their ids. */
    List<StoredResult> insert(StoredResult... results) throws StoreException {
        List<StoredResult> stored = store.write(tx -> {
            List<StoredResult> out = new ArrayList<>();
            for (StoredResult r : results) {
                out.add(tx.insertResult(r));
            }
            return out;
        });
        metrics.recordResults(stored);
        return stored;
    }

    void suppress(Suppression... entries) throws StoreException {
        int added = store.write(tx -> {
            int n = 0;
            for (Suppression s : entries) {
                n += tx.suppress(s) ? 1 : 0;
            }
            return n;
        });
        metrics.recordSuppressions(added);
    }

    static Suppression bounceSuppression(StoredResult r, Instant at) {
        return new Suppression(r.result().recipient().toLowerCase(java.util.Locale.ROOT), Suppression.ORIGIN_BOUNCE,
                r.classification().category() + ": " + r.result().replyCode() + " " + r.result().dsn() + " from "
                        + r.result().relay(),
                r.classification().category(), at, at, r.id(), r.result().dsn(), r.result().replyCode(),
                r.result().diagnostic(), 1);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + api.port() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(authorised(HttpRequest.newBuilder(uri(pathAndQuery)).GET()));
    }

    HttpResponse<String> delete(String pathAndQuery) {
        return send(authorised(HttpRequest.newBuilder(uri(pathAndQuery)).DELETE()));
    }

    HttpResponse<String> post(String pathAndQuery, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(authorised(b));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder authorised(HttpRequest.Builder b) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        api.close();
        store.close();
    }
}
