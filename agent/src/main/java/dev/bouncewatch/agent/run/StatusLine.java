package dev.bouncewatch.agent.run;

import dev.bouncewatch.agent.http.AgentStatus.SourceStatus;
import dev.bouncewatch.agent.source.SourceHealth;
import java.util.List;
import java.util.Locale;

/**
 * The one line {@code systemctl status} shows for the agent (systemd's {@code STATUS=}): how many
 * sources read, which fail, how many results so far. An admin sees a stuck source without
 * opening the API.
 */
public final class StatusLine {

    private StatusLine() {
    }

    public static String of(List<SourceStatus> sources) {
        long results = sources.stream().mapToLong(SourceStatus::results).sum();
        long lines = sources.stream().mapToLong(SourceStatus::committedLines).sum();
        List<String> failing = sources.stream()
                .filter(s -> s.health().state() == SourceHealth.State.FAILING)
                .map(s -> s.health().id()).toList();
        List<String> waiting = sources.stream()
                .filter(s -> s.health().state() == SourceHealth.State.WAITING)
                .map(s -> s.health().id()).toList();
        StringBuilder line = new StringBuilder();
        line.append("reading ").append(plural(sources.size(), "source"));
        if (!failing.isEmpty()) {
            line.append("; FAILING: ").append(String.join(", ", failing)).append(" (see /healthz)");
        }
        if (!waiting.isEmpty()) {
            line.append("; waiting for ").append(String.join(", ", waiting));
        }
        line.append("; ").append(plural(lines, "line")).append(", ").append(plural(results, "result"))
                .append(" since start");
        return line.toString();
    }

    private static String plural(long n, String word) {
        return String.format(Locale.ROOT, "%,d %s%s", n, word, n == 1 ? "" : "s");
    }
}
