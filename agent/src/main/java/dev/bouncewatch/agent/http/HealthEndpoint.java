package dev.bouncewatch.agent.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import dev.bouncewatch.agent.parse.SkipReason;
import dev.bouncewatch.agent.source.SourceHealth;
import dev.bouncewatch.testmta.http.Exchanges;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /healthz}: 200 when every source is reading or waiting by design (a file that appears
 * later, the journal not there yet), 503 otherwise with the reasons. Never needs the token, so a
 * load balancer or systemd watchdog script can call it.
 */
final class HealthEndpoint {

    private final AgentStatus status;
    private final Clock clock;

    HealthEndpoint(AgentStatus status, Clock clock) {
        this.status = status;
        this.clock = clock;
    }

    /** RUNNING, and WAITING: a missing file or journal is retried and is what the config asked for. */
    static boolean healthy(SourceHealth.State state) {
        return state == SourceHealth.State.RUNNING || state == SourceHealth.State.WAITING;
    }

    void get(HttpExchange ex) throws IOException {
        List<AgentStatus.SourceStatus> sources = status.sources();
        List<String> problems = new ArrayList<>();
        if (sources.isEmpty()) {
            problems.add("no sources are running");
        }
        for (AgentStatus.SourceStatus s : sources) {
            SourceHealth h = s.health();
            if (!healthy(h.state())) {
                problems.add(h.id() + " is " + lower(h.state()) + (h.lastError() == null ? "" : ": " + h.lastError()));
            }
        }
        Instant now = clock.instant();
        int code = problems.isEmpty() ? 200 : 503;
        Exchanges.sendJson(ex, code, ApiJson.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("status", problems.isEmpty() ? "ok" : "unhealthy");
            g.writeArrayFieldStart("problems");
            for (String p : problems) {
                g.writeString(p);
            }
            g.writeEndArray();
            ApiJson.time(g, "startedAt", status.startedAt());
            g.writeNumberField("uptimeSeconds", Math.max(0, Duration.between(status.startedAt(), now).getSeconds()));
            g.writeArrayFieldStart("sources");
            for (AgentStatus.SourceStatus s : sources) {
                source(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static void source(JsonGenerator g, AgentStatus.SourceStatus s) throws IOException {
        SourceHealth h = s.health();
        g.writeStartObject();
        g.writeStringField("id", h.id());
        g.writeStringField("type", h.type());
        g.writeStringField("target", h.target());
        g.writeStringField("state", lower(h.state()));
        if (h.lagBytes() == null) {
            g.writeNullField("lagBytes");
        } else {
            g.writeNumberField("lagBytes", h.lagBytes());
        }
        g.writeNumberField("lagSeconds", s.lagSeconds());
        ApiJson.time(g, "lastLineTime", s.lastLineTime());
        ApiJson.time(g, "lastReadAt", h.lastReadAt());
        ApiJson.time(g, "lastCommitAt", s.lastCommitAt());
        g.writeNumberField("linesRead", h.linesRead());
        g.writeNumberField("committedLines", s.committedLines());
        g.writeNumberField("results", s.results());
        g.writeObjectFieldStart("skipped");
        for (SkipReason r : SkipReason.values()) {
            g.writeNumberField(lower(r), s.skipped().getOrDefault(r, 0L));
        }
        g.writeEndObject();
        g.writeNumberField("invalidUtf8", s.invalidUtf8());
        g.writeNumberField("errors", h.errors());
        g.writeStringField("lastError", h.lastError());
        g.writeEndObject();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
