package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.HttpConfig;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks whether an agent with this config is running: its HTTP API answers on the configured address. */
final class AgentProbe {

    private AgentProbe() {
    }

    /** False when the API is disabled (then nobody can tell) or nothing answers within the timeout. */
    static boolean answers(HttpConfig http, Duration timeout) throws InterruptedException {
        if (http == null || !http.enabled() || http.listen() == null) {
            return false;
        }
        URI uri = healthz(http.listen());
        HttpClient client = client(timeout);
        try {
            client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding());
            return true; // any answer, even 401 without the token, means the agent listens
        } catch (IOException e) {
            return false;
        }
    }

    /** A client for this host's agent: no redirects (nothing legitimate redirects there). */
    static HttpClient client(Duration timeout) {
        return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static URI healthz(InetSocketAddress listen) {
        return URI.create(baseUrl(listen) + "/healthz");
    }

    /** {@code http://host:port} for a client on this host; a wildcard listen address becomes loopback. */
    static String baseUrl(InetSocketAddress listen) {
        InetAddress a = listen.getAddress();
        String host;
        if (a == null) {
            host = listen.getHostString();
        } else if (a.isAnyLocalAddress()) {
            host = a instanceof Inet6Address ? "[::1]" : "127.0.0.1";
        } else {
            host = a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        }
        return "http://" + host + ":" + listen.getPort();
    }
}
