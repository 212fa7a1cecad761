package dev.bouncewatch.testmta.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/** What test-mta's control API and the agent's API do alike on the JDK's built-in HTTP server. */
public final class ApiServers {

    private ApiServers() {
    }

    /** One request's work; an {@link ApiException} becomes its error response. */
    @FunctionalInterface
    public interface Exchange {
        void handle() throws IOException, ApiException;
    }

    /**
     * A bounded pool of daemon handler threads named {@code name-1, name-2...}: the JDK server reads a
     * request on the handler thread, so a few stalled clients must not be able to take every thread.
     */
    public static ExecutorService handlerPool(String name, int threads) {
        AtomicInteger threadNo = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs one request and closes the exchange: an {@link ApiException} is answered with its status, a
     * client that went away is logged at debug, any other failure is a logged 500.
     *
     * @param what the API's name for log lines ("control API")
     */
    public static void serve(HttpExchange ex, Logger log, String what, Exchange work) {
        try (ex) {
            try {
                work.handle();
            } catch (ApiException e) {
                Exchanges.sendError(ex, e.status(), e.getMessage());
            }
        } catch (IOException e) {
            log.debug("{} client went away: {}", what, e.toString());
        } catch (RuntimeException e) {
            log.error("{} request {} {} failed", what, ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            try {
                Exchanges.sendError(ex, 500, "internal error: " + e);
            } catch (IOException | RuntimeException ignored) {
                // headers may already be out; nothing more to tell the client
            }
        }
    }

    /** 405 with an {@code Allow} header naming the methods the path takes. */
    public static void methodNotAllowed(HttpExchange ex, String path, Collection<String> allowed) throws IOException {
        ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
        Exchanges.sendError(ex, 405, ex.getRequestMethod() + " is not allowed on " + path + "; use "
                + String.join(" or ", allowed));
    }

    /** Stops at once; JDK 17's server would otherwise sit out the whole grace delay even when idle. */
    public static void stop(HttpServer server, ExecutorService executor) {
        server.stop(0);
        executor.shutdownNow();
    }
}
