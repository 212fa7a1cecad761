package dev.bouncewatch.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bouncewatch.agent.config.HttpConfig;
import dev.bouncewatch.agent.store.StoreReader;
import dev.bouncewatch.testmta.http.ApiException;
import dev.bouncewatch.testmta.http.ApiServers;
import dev.bouncewatch.testmta.http.BearerToken;
import dev.bouncewatch.testmta.http.Exchanges;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API on the JDK's built-in server, built like test-mta's control API: a bounded
 * handler pool, JSON bodies, errors as {@code {"error": "...", "status": N}}.
 *
 * <table>
 * <caption>Endpoints</caption>
 * <tr><th>Request</th><th>Does</th></tr>
 * <tr><td>{@code GET /healthz}</td><td>per source: state, lag, last line time, errors; 200 or 503. No token.</td></tr>
 * <tr><td>{@code GET /metrics}</td><td>Prometheus text format 0.0.4</td></tr>
 * <tr><td>{@code GET /api/results}</td><td>{@code since, until, status, category, recipient, domain, limit, before}</td></tr>
 * <tr><td>{@code GET /api/stats}</td><td>{@code window, bucket, domains}</td></tr>
 * <tr><td>{@code GET /api/suppressions}</td><td>{@code format=json|csv|text, q, limit, offset}</td></tr>
 * <tr><td>{@code POST /api/suppressions}</td><td>JSON {@code {address, reason}} (or an array), or text, one a line</td></tr>
 * <tr><td>{@code GET|DELETE /api/suppressions/{address}}</td><td>one entry; 404 when not listed</td></tr>
 * <tr><td>{@code GET /}</td><td>the dashboard (page, script and style need no token; its API calls do)</td></tr>
 * </table>
 *
 * <p>With a token, every request but {@code /healthz} and the dashboard's static files needs
 * {@code Authorization: Bearer <token>} (compared in constant time), else 401. Without a token the
 * API trusts whoever can reach it, so two browser attacks are shut out: a page served under another
 * name that resolves to us (DNS rebinding: only IP literals and {@code localhost} are accepted as
 * {@code Host}) and a cross-site form or fetch that writes (a
 * {@code POST}/{@code DELETE} whose {@code Origin} is not this server is refused).
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    /** Enough that a few stalled clients or slow store queries cannot lock out /healthz. */
    static final int HANDLER_THREADS = 8;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern BRACKETED_IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+(?:%[\\w.-]+)?]");

    static {
        // the JDK server reads a request on a handler thread: a deadline frees threads held by stalled
        // clients (read once, when its classes load; test-mta's control API sets the same). Responses
        // get longer: a CSV export of a large suppression list is streamed for minutes.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "10");
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "600");
        }
    }

    @FunctionalInterface
    private interface Handler {
        /** @param rest what follows a prefix route's path ("" for exact routes), percent-decoded */
        void handle(HttpExchange ex, String rest) throws IOException, ApiException;
    }

    /** @param open served without token and Host checks (health and static files) */
    private record Route(String path, boolean prefix, boolean open, Map<String, Handler> methods) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final BearerToken token;
    private final List<Route> routes = new ArrayList<>();

    private HttpApi(HttpServer server, ExecutorService executor, String token) {
        this.server = server;
        this.executor = executor;
        this.token = BearerToken.of(token);
    }

    public static HttpApi start(HttpConfig config, StoreReader store, SuppressionEditor editor, AgentStatus status,
                                AgentMetrics metrics) throws IOException {
        return start(config, store, editor, status, metrics, Clock.systemUTC());
    }

    /**
     * Binds and serves until {@link #close()}. The caller decides whether to start it at all
     * ({@link HttpConfig#enabled()}); a null listen address means {@code 127.0.0.1:9325}.
     *
     * @param clock "now" for relative times ({@code since=1h}) and the stats window
     */
    public static HttpApi start(HttpConfig config, StoreReader store, SuppressionEditor editor, AgentStatus status,
                                AgentMetrics metrics, Clock clock) throws IOException {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(editor, "editor");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
        String token = config.token() == null ? null : config.token().reveal();
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("http.token must not be blank (" + config.token().origin() + ")");
        }
        InetSocketAddress listen = config.listen() != null ? config.listen() : HttpConfig.DEFAULT_LISTEN;
        HttpServer server = HttpServer.create(listen, 50);
        ExecutorService executor = ApiServers.handlerPool("http-api", HANDLER_THREADS);
        HttpApi api = new HttpApi(server, executor, token);

        HealthEndpoint health = new HealthEndpoint(status, clock);
        ResultsEndpoint results = new ResultsEndpoint(store, clock);
        StatsEndpoint stats = new StatsEndpoint(store, clock);
        SuppressionsEndpoint suppressions = new SuppressionsEndpoint(store, editor);
        DashboardAssets dashboard = new DashboardAssets();

        api.route("/healthz", false, true, Map.of("GET", (ex, rest) -> health.get(ex)));
        for (String path : dashboard.paths()) {
            api.route(path, false, true, Map.of("GET", (ex, rest) -> dashboard.get(ex)));
        }
        api.route("/metrics", false, false, Map.of("GET", (ex, rest) -> Exchanges.send(ex, 200,
                AgentMetrics.CONTENT_TYPE, metrics.scrape(status, store).getBytes(StandardCharsets.UTF_8))));
        api.route("/api/results", false, false, Map.of("GET", (ex, rest) -> results.get(ex)));
        api.route("/api/stats", false, false, Map.of("GET", (ex, rest) -> stats.get(ex)));
        api.route(SuppressionsEndpoint.PATH, false, false, ordered(
                "GET", (ex, rest) -> suppressions.list(ex),
                "POST", (ex, rest) -> suppressions.post(ex)));
        api.route(SuppressionsEndpoint.PATH + "/", true, false, ordered(
                "GET", suppressions::get,
                "DELETE", suppressions::delete));

        server.createContext("/", api::dispatch);
        server.setExecutor(executor);
        server.start();
        LOG.info("HTTP API listening on {}:{} ({})", api.address().getHostString(), api.address().getPort(),
                token == null ? "no token" : "bearer token " + config.token());
        return api;
    }

    private static Map<String, Handler> ordered(String m1, Handler h1, String m2, Handler h2) {
        Map<String, Handler> m = new LinkedHashMap<>();
        m.put(m1, h1);
        m.put(m2, h2);
        return m;
    }

    private void route(String path, boolean prefix, boolean open, Map<String, Handler> methods) {
        routes.add(new Route(path, prefix, open, methods));
    }

    private void dispatch(HttpExchange ex) {
        ApiServers.serve(ex, LOG, "HTTP API", () -> {
            String path = ex.getRequestURI().getPath();
            Route route = null;
            String rest = "";
            for (Route r : routes) {
                if (r.prefix() ? path.startsWith(r.path()) && path.length() > r.path().length() : path.equals(r.path())) {
                    route = r;
                    rest = r.prefix() ? path.substring(r.path().length()) : "";
                    break;
                }
            }
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            ex.getResponseHeaders().set("X-Frame-Options", "DENY");
            if (route == null) {
                Exchanges.sendError(ex, 404, "no such endpoint: " + path);
                return;
            }
            if (!route.open()) {
                if (!hostAllowed(ex)) {
                    Exchanges.sendError(ex, 403, "Host '" + ex.getRequestHeaders().getFirst("Host")
                            + "' is not accepted without a token; use the IP address or localhost, or set http.token"
                            + " (this guards against DNS rebinding)");
                    return;
                }
                if (!token.admits(ex)) {
                    BearerToken.refuse(ex, "bouncewatch");
                    return;
                }
            }
            String method = ex.getRequestMethod();
            Handler handler = route.methods().get(method);
            if (handler == null) {
                ApiServers.methodNotAllowed(ex, path, route.methods().keySet());
                return;
            }
            if (!method.equals("GET") && !sameOrigin(ex)) {
                Exchanges.sendError(ex, 403, "cross-site " + method + " refused: Origin "
                        + ex.getRequestHeaders().getFirst("Origin") + " is not this server");
                return;
            }
            handler.handle(ex, rest);
        });
    }

    /**
     * Without a token, a name other than an IP literal or localhost means a browser was sent here by
     * DNS (rebinding); with a token that browser could not read anything. (The listen address is
     * always an IP literal: the config does not resolve names.)
     */
    private boolean hostAllowed(HttpExchange ex) {
        if (token.required()) {
            return true;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return true; // an HTTP/1.0 client: not a browser
        }
        String name = hostName(host.trim().toLowerCase(Locale.ROOT));
        return name.equals("localhost") || IPV4.matcher(name).matches() || BRACKETED_IPV6.matcher(name).matches();
    }

    private static String hostName(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int close = hostHeader.indexOf(']');
            return close < 0 ? hostHeader : hostHeader.substring(0, close + 1);
        }
        int colon = hostHeader.lastIndexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }

    /** Browsers send Origin on cross-site writes; tools like curl send none and are let through. */
    private static boolean sameOrigin(HttpExchange ex) {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin == null) {
            return true;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        try {
            URI u = new URI(origin.trim());
            return host != null && u.getRawAuthority() != null && u.getRawAuthority().equalsIgnoreCase(host.trim());
        } catch (URISyntaxException e) {
            return false; // includes "null", sent by sandboxed frames
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        ApiServers.stop(server, executor);
    }
}
