package dev.bouncewatch.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.agent.config.HttpConfig;
import dev.bouncewatch.agent.config.LoadedConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bouncewatch status}: is the agent running, what does each source do, and how did the
 * last hour and day go, from the running agent's own API (read-only, needs no database access).
 */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Asks the running agent how it is: health, each source's state, lines and results,",
            "and the deliveries of the last hour and day. Finds the API from the config (http.listen, http.token)."},
        footer = {"", "Exit status: 0 healthy, 1 running but unhealthy, 2 not reachable, API disabled or bad config."})
public final class StatusCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    AgentConfigOption config = new AgentConfigOption();

    @Option(names = "--url", paramLabel = "URL",
            description = "The agent's API, e.g. http://127.0.0.1:9325. Default: from the config's http.listen.")
    URI url;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** "Now" for "last line 12s ago"; tests replace it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<LoadedConfig> loaded = config.loadOrReport(err);
        if (loaded.isEmpty()) {
            return 2;
        }
        HttpConfig http = loaded.get().config().http();
        String base;
        if (url != null) {
            base = url.toString().replaceAll("/+$", "");
        } else if (!http.enabled()) {
            err.println("the HTTP API is disabled in " + config.describe() + " (http.enabled: false): nothing to ask");
            err.flush();
            return 2;
        } else {
            base = AgentProbe.baseUrl(http.listen());
        }
        String token = http.token() == null ? null : http.token().reveal();
        HttpClient client = AgentProbe.client(TIMEOUT);
        JsonNode health;
        try {
            // 503 is the answer of a running but unhealthy agent: still a report
            health = get(client, base + "/healthz", null).orElseThrow(() -> new IOException("no JSON answer"));
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof java.net.ConnectException ? "connection refused"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            err.println("no agent answers at " + base + " (" + why + "): is it running?"
                    + " systemctl status bouncewatch-agent");
            err.flush();
            return 2;
        }
        JsonNode hour = stats(client, base, "1h", token);
        JsonNode day = stats(client, base, "24h", token);
        StatusReport.lines(base, health, hour, day, clock.instant()).forEach(out::println);
        out.flush();
        return "ok".equals(health.path("status").asText()) ? 0 : 1;
    }

    private static JsonNode stats(HttpClient client, String base, String window, String token) throws InterruptedException {
        try {
            return get(client, base + "/api/stats?window=" + window + "&domains=1", token).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The JSON body of a GET, or empty when the answer is no JSON object (401 without the token ...). */
    private static Optional<JsonNode> get(HttpClient client, String uri, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            return Optional.empty();
        }
        JsonNode body = JSON.readTree(response.body());
        return body != null && body.isObject() ? Optional.of(body) : Optional.empty();
    }
}
