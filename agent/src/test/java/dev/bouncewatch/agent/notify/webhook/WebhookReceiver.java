package dev.bouncewatch.agent.notify.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A webhook consumer on loopback, written the way the Standard Webhooks docs tell consumers to
 * write one: verify the signature with the official library, then dedupe on {@code webhook-id}.
 * What it answers is scripted per test.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One answer. */
    public record Reply(int status, Map<String, String> headers, String body, Duration delay) {

        public static Reply ok() {
            return new Reply(200, Map.of(), "", Duration.ZERO);
        }

        public static Reply status(int status) {
            return new Reply(status, Map.of(), "", Duration.ZERO);
        }

        public static Reply status(int status, Map<String, String> headers) {
            return new Reply(status, headers, "", Duration.ZERO);
        }
    }

    /** Decides the answer for the n-th request (1-based) carrying this webhook-id. */
    @FunctionalInterface
    public interface Script {
        Reply reply(int requestNumber, String webhookId);
    }

    /** A verified, first-seen event. */
    public record Received(String id, String type, JsonNode json, String body, Map<String, List<String>> headers) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Webhook verifier;
    private final Set<String> seen = new HashSet<>();
    private final List<Received> accepted = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private volatile Script script = (n, id) -> Reply.ok();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-receiver");
        t.setDaemon(true);
        return t;
    });
    private HttpServer server;
    private int port;

    public WebhookReceiver(String secret) {
        this.verifier = new Webhook(secret);
        start(0);
    }

    private void start(int wantedPort) {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 50);
                server.createContext("/", this::handle);
                server.setExecutor(executor);
                server.start();
                port = server.getAddress().getPort();
                return;
            } catch (BindException e) { // the old socket of a restart may linger for a moment
                last = e;
                sleep(100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new UncheckedIOException(last);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/hooks/bouncewatch");
    }

    public void script(Script s) {
        this.script = s;
    }

    /** Stops listening: senders get "connection refused". */
    public void stop() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public void restart() {
        start(port);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public int requests() {
        return requests.get();
    }

    public int duplicates() {
        return duplicates.get();
    }

    public int badSignatures() {
        return badSignatures.get();
    }

    public synchronized List<Received> accepted() {
        return List.copyOf(accepted);
    }

    public synchronized List<String> acceptedIds() {
        return accepted.stream().map(Received::id).toList();
    }

    private final Map<String, AtomicInteger> attemptsById = new java.util.concurrent.ConcurrentHashMap<>();

    private final Map<String, List<java.time.Instant>> arrivalsById = new java.util.concurrent.ConcurrentHashMap<>();

    /** When each request with this webhook-id arrived, in order. */
    public List<java.time.Instant> arrivals(String id) {
        List<java.time.Instant> a = arrivalsById.get(id);
        if (a == null) {
            return List.of();
        }
        synchronized (a) {
            return List.copyOf(a);
        }
    }

    /** How many requests carried this webhook-id (duplicates and failures included). */
    public int attempts(String id) {
        AtomicInteger n = attemptsById.get(id);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            List<java.time.Instant> times = arrivalsById.computeIfAbsent(String.valueOf(id), k -> new ArrayList<>());
            synchronized (times) {
                times.add(java.time.Instant.now());
            }
            int n = attemptsById.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
            Reply reply = script.reply(n, id);
            if (!reply.delay().isZero()) {
                sleep(reply.delay().toMillis());
            }
            if (reply.status() >= 200 && reply.status() < 300) {
                try {
                    verifier.verify(body, exchange.getRequestHeaders());
                } catch (WebhookVerificationException e) {
                    badSignatures.incrementAndGet();
                    send(exchange, Reply.status(400));
                    return;
                }
                synchronized (this) {
                    if (seen.add(id)) {
                        accepted.add(new Received(id, JSON.readTree(body).path("type").asText(), JSON.readTree(body), body,
                                Map.copyOf(exchange.getRequestHeaders())));
                    } else {
                        duplicates.incrementAndGet();
                    }
                }
            }
            send(exchange, reply);
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
    }

    /** Polls until the condition holds; fails the test after a generous deadline. */
    public static void await(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
