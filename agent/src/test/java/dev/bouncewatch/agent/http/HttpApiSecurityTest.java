package dev.bouncewatch.agent.http;

import static dev.bouncewatch.agent.http.ApiTestAgent.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class HttpApiSecurityTest {

    @TempDir
    Path dir;

    @Test
    void withATokenEveryEndpointButHealthAndTheStaticPageNeedsIt() throws Exception {
        try (ApiTestAgent agent = ApiTestAgent.start(dir, "s3cret-token")) {
            for (String path : new String[] {"/metrics", "/api/results", "/api/stats", "/api/suppressions",
                    "/api/suppressions/a@example.com"}) {
                HttpResponse<String> none = plain(agent, path, null);
                assertThat(none.statusCode()).as(path).isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"bouncewatch\"");
                assertThat(json(none).get("error").asText()).contains("bearer token");
                assertThat(plain(agent, path, "Bearer s3cret-tokeN").statusCode()).as(path).isEqualTo(401);
                assertThat(plain(agent, path, "Basic czNjcmV0LXRva2Vu").statusCode()).as(path).isEqualTo(401);
                assertThat(plain(agent, path, "bearer s3cret-token").statusCode()).as(path).isIn(200, 404);
            }
            assertThat(agent.post("/api/suppressions", "text/plain", "a@example.com").statusCode()).isEqualTo(200);
            HttpResponse<String> refused = send(HttpRequest.newBuilder(agent.uri("/api/suppressions"))
                    .POST(HttpRequest.BodyPublishers.ofString("b@example.com")).header("Content-Type", "text/plain"));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(agent.store.reader().suppression("b@example.com")).isEmpty();

            assertThat(plain(agent, "/healthz", null).statusCode()).isEqualTo(503); // no sources, but answered
            HttpResponse<String> page = plain(agent, "/", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(DashboardAssets.CONTENT_SECURITY_POLICY);
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.body()).contains("<script src=\"dashboard.js\" defer></script>").doesNotContain("s3cret");
            assertThat(plain(agent, "/dashboard.js", null).headers().firstValue("Content-Type"))
                    .hasValue("text/javascript; charset=utf-8");
            assertThat(plain(agent, "/dashboard.css", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutATokenOnlyIpLiteralsAndLocalhostAreAcceptedAsHost() throws Exception {
        try (ApiTestAgent agent = ApiTestAgent.start(dir)) {
            int port = agent.api.port();
            assertThat(raw(port, "GET /api/results HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            assertThat(raw(port, "GET /api/results HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            assertThat(raw(port, "GET /api/results HTTP/1.1\r\nHost: [::1]:" + port + "\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            // a page at attacker.example whose name now resolves to 127.0.0.1 (DNS rebinding)
            String rebound = raw(port, "GET /api/results HTTP/1.1\r\nHost: attacker.example:" + port
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(rebound).startsWith("HTTP/1.1 403").contains("DNS rebinding");
            // health and the page itself stay reachable under any name
            assertThat(raw(port, "GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void crossSiteWritesAreRefusedEvenWithoutAToken() throws Exception {
        try (ApiTestAgent agent = ApiTestAgent.start(dir)) {
            HttpResponse<String> crossSite = send(HttpRequest.newBuilder(agent.uri("/api/suppressions"))
                    .header("Content-Type", "text/plain").header("Origin", "https://evil.example")
                    .POST(HttpRequest.BodyPublishers.ofString("victim@example.com")));
            assertThat(crossSite.statusCode()).isEqualTo(403);
            assertThat(json(crossSite).get("error").asText()).contains("cross-site");
            assertThat(send(HttpRequest.newBuilder(agent.uri("/api/suppressions/victim@example.com"))
                    .header("Origin", "null").DELETE()).statusCode()).isEqualTo(403);
            assertThat(agent.store.reader().suppression("victim@example.com")).isEmpty();

            HttpResponse<String> sameSite = send(HttpRequest.newBuilder(agent.uri("/api/suppressions"))
                    .header("Content-Type", "text/plain").header("Origin", "http://127.0.0.1:" + agent.api.port())
                    .POST(HttpRequest.BodyPublishers.ofString("victim@example.com")));
            assertThat(sameSite.statusCode()).isEqualTo(200);
            assertThat(agent.store.reader().suppression("victim@example.com")).isPresent();
        }
    }

    @Test
    void unknownPathsMethodsAndMalformedQueriesAreJsonErrors() throws Exception {
        try (ApiTestAgent agent = ApiTestAgent.start(dir)) {
            HttpResponse<String> missing = agent.get("/api/nothing");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(json(missing).get("error").asText()).isEqualTo("no such endpoint: /api/nothing");

            HttpResponse<String> wrongMethod = agent.delete("/api/suppressions");
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, POST");
            assertThat(agent.post("/metrics", "text/plain", "x").statusCode()).isEqualTo(405);

            int port = agent.api.port();
            String malformed = raw(port, "GET /api/results?recipient=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(malformed).startsWith("HTTP/1.1 400"); // the JDK server refuses the URI before any handler

            String bigBody = "x@example.com\n".repeat(SuppressionsEndpoint.MAX_BODY_BYTES / 14 + 10);
            HttpResponse<String> tooBig = agent.post("/api/suppressions", "text/plain", bigBody);
            assertThat(tooBig.statusCode()).isEqualTo(413);
            assertThat(agent.store.reader().suppressionCount()).isZero();

            HttpResponse<String> notUtf8 = send(HttpRequest.newBuilder(agent.uri("/api/suppressions"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'a', '@', (byte) 0xC3, '.', 'c', 'o'})));
            assertThat(notUtf8.statusCode()).isEqualTo(400);
            assertThat(json(notUtf8).get("error").asText()).contains("UTF-8");
        }
    }

    private static HttpResponse<String> plain(ApiTestAgent agent, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(agent.uri(path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A hand-written request, for headers HttpClient will not let a caller set (Host). */
    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
