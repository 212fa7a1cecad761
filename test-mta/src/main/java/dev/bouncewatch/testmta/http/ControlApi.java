package dev.bouncewatch.testmta.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bouncewatch.testmta.events.RecentTransactions;
import dev.bouncewatch.testmta.events.SinkMetrics;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.scenario.ScenarioParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's HTTP control API, on the JDK's built-in server. All bodies are JSON except
 * {@code /metrics}; errors are {@code {"error": "...", "status": N}}.
 *
 * <table>
 * <caption>Endpoints</caption>
 * <tr><th>Request</th><th>Does</th></tr>
 * <tr><td>{@code GET /scenario}</td><td>{@code {"version": 3, "source": "...yaml..."}}: the active scenario</td></tr>
 * <tr><td>{@code PUT /scenario}</td><td>body: scenario YAML. Parsed and, when valid, installed
 *     atomically: {@code {"version": 4, "installed": true}}. When invalid: 422 with
 *     {@code "problems": [{source, line, column, key, message}]}; the old scenario stays active.</td></tr>
 * <tr><td>{@code POST /scenario/validate}</td><td>the same check without installing: 200 {@code {"valid": true}} or 422</td></tr>
 * <tr><td>{@code POST /state/reset}</td><td>forgets greylist triplets, rate buckets and counters of the active scenario</td></tr>
 * <tr><td>{@code GET /transactions?limit=&session=&stage=&code=}</td><td>recent replies, newest first;
 *     {@code code} takes {@code 550} or {@code 5xx}; {@code stage} takes names like {@code rcpt}, {@code data_end}</td></tr>
 * <tr><td>{@code GET /metrics}</td><td>Prometheus text format 0.0.4</td></tr>
 * <tr><td>{@code GET /healthz}</td><td>{@code {"status": "ok", ...}}; never needs the token</td></tr>
 * </table>
 *
 * <p>With a token set, every other request needs {@code Authorization: Bearer <token>} (else 401).
 * Request bodies above the limit get 413, unknown paths 404, other methods 405 with {@code Allow}.
 * The default bind address is loopback: the API can replace the scenario, so exposing it is a
 * deliberate choice.
 */
public final class ControlApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);

    /**
     * The JDK server reads a request on the handler thread, so a client that stalls mid-request holds
     * one: enough threads that a few stalled clients cannot lock out /healthz, and a deadline (read by
     * the JDK once, when its server classes load) that frees them.
     */
    static final int HANDLER_THREADS = 8;

    static {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "10");
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "30");
        }
    }

    /**
     * @param listen       address to bind; port 0 picks a free one
     * @param bearerToken  required token, or null for none
     * @param maxBodyBytes largest request body accepted
     */
    public record Settings(InetSocketAddress listen, String bearerToken, int maxBodyBytes) {
        public static final int DEFAULT_MAX_BODY = 1024 * 1024;

        public Settings {
            Objects.requireNonNull(listen, "listen");
            if (bearerToken != null && bearerToken.isBlank()) {
                throw new IllegalArgumentException("the API token must not be blank");
            }
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("max body bytes must be positive, got " + maxBodyBytes);
            }
        }

        /** Loopback on {@code port}, no token, 1 MiB bodies. */
        public static Settings loopback(int port) {
            return new Settings(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null, DEFAULT_MAX_BODY);
        }

        public Settings withToken(String token) {
            return new Settings(listen, token, maxBodyBytes);
        }

        public Settings withMaxBodyBytes(int max) {
            return new Settings(listen, bearerToken, max);
        }
    }

    @FunctionalInterface
    private interface Endpoint {
        void handle(HttpExchange ex) throws IOException, ApiException;
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final BearerToken token;
    private final Map<String, Map<String, Endpoint>> routes = new LinkedHashMap<>();

    private ControlApi(HttpServer server, ExecutorService executor, String token) {
        this.server = server;
        this.executor = executor;
        this.token = BearerToken.of(token);
    }

    public static ControlApi start(Settings settings, ScenarioHolder holder, ScenarioParser parser,
            RecentTransactions recent, SinkMetrics metrics, IntSupplier activeConnections) throws IOException {
        HttpServer server = HttpServer.create(settings.listen(), 16);
        ExecutorService executor = ApiServers.handlerPool("control-api", HANDLER_THREADS);
        ControlApi api = new ControlApi(server, executor, settings.bearerToken());
        ScenarioEndpoints scenario = new ScenarioEndpoints(holder, parser, settings.maxBodyBytes());
        TransactionsEndpoint transactions = new TransactionsEndpoint(recent);
        api.route("GET", "/scenario", scenario::get);
        api.route("PUT", "/scenario", scenario::put);
        api.route("POST", "/scenario/validate", scenario::validate);
        api.route("POST", "/state/reset", scenario::resetState);
        api.route("GET", "/transactions", transactions::get);
        api.route("GET", "/metrics", ex -> Exchanges.send(ex, 200, SinkMetrics.CONTENT_TYPE,
                metrics.scrape().getBytes(StandardCharsets.UTF_8)));
        api.route("GET", "/healthz", ex -> {
            ObjectNode body = Exchanges.JSON.createObjectNode();
            body.put("status", "ok");
            body.put("scenario_version", holder.current().version());
            body.put("active_connections", activeConnections.getAsInt());
            Exchanges.sendJson(ex, 200, body);
        });
        server.createContext("/", api::dispatch);
        server.setExecutor(executor);
        server.start();
        LOG.info("control API listening on {}:{}", api.address().getHostString(), api.address().getPort());
        return api;
    }

    private void route(String method, String path, Endpoint endpoint) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, endpoint);
    }

    private void dispatch(HttpExchange ex) {
        ApiServers.serve(ex, LOG, "control API", () -> {
            String path = ex.getRequestURI().getPath();
            Map<String, Endpoint> methods = routes.get(path);
            if (methods == null) {
                Exchanges.sendError(ex, 404, "no such endpoint: " + path);
                return;
            }
            if (!path.equals("/healthz") && !token.admits(ex)) {
                BearerToken.refuse(ex, "test-mta");
                return;
            }
            Endpoint endpoint = methods.get(ex.getRequestMethod());
            if (endpoint == null) {
                ApiServers.methodNotAllowed(ex, path, methods.keySet());
                return;
            }
            endpoint.handle(ex);
        });
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        ApiServers.stop(server, executor);
    }
}
