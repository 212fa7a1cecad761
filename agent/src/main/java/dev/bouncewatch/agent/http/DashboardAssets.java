package dev.bouncewatch.agent.http;

import com.sun.net.httpserver.HttpExchange;
import dev.bouncewatch.testmta.http.Exchanges;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The built-in dashboard: one page plus its script and style, read from {@code http/dashboard/}
 * on the class path once at start. They hold no data, so they are served without the token; the
 * script sends the token (from the page's {@code #token=} fragment) with every API call.
 */
final class DashboardAssets {

    static final String DIRECTORY = "/http/dashboard/";

    /**
     * Only same-origin script, style and fetches: even if remote text ever reached the page as
     * markup, the browser would refuse to run it.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private record Asset(String contentType, byte[] body) {
    }

    private final Map<String, Asset> byPath;

    DashboardAssets() {
        byPath = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
                "/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"));
    }

    Iterable<String> paths() {
        return byPath.keySet();
    }

    void get(HttpExchange ex) throws IOException {
        Asset a = byPath.get(ex.getRequestURI().getPath());
        ex.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        Exchanges.send(ex, 200, a.contentType(), a.body());
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DIRECTORY + name);
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DIRECTORY + name, e);
        }
    }
}
