package dev.bouncewatch.agent.http;

import dev.bouncewatch.agent.parse.SkipReason;
import dev.bouncewatch.agent.source.SourceHealth;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An AgentStatus whose sources and notifier queue a test sets. */
final class TestStatus implements AgentStatus {

    private final Instant startedAt;
    private volatile List<SourceStatus> sources = List.of();
    private volatile Map<String, Long> queue = Map.of();

    TestStatus(Instant startedAt) {
        this.startedAt = startedAt;
    }

    void set(SourceStatus... statuses) {
        sources = List.of(statuses);
    }

    void queue(Map<String, Long> perDestination) {
        queue = Map.copyOf(perDestination);
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public List<SourceStatus> sources() {
        return sources;
    }

    @Override
    public Map<String, Long> notifierQueue() {
        return queue;
    }

    /** A file source in the given state with a little history. */
    static SourceStatus file(String path, SourceHealth.State state, long lagBytes, String lastError, Instant lastLine) {
        SourceHealth h = new SourceHealth("file:" + path, "file", path, state, lagBytes,
                lastLine == null ? null : lastLine.plusMillis(200), 1200, lastError == null ? 0 : 3, lastError);
        return new SourceStatus(h, 1190, 640, lastLine, lastLine == null ? null : lastLine.plusMillis(400), 0.25,
                Map.of(SkipReason.GARBAGE, 4L, SkipReason.TOO_LONG, 1L), 2);
    }

    static SourceStatus journal(SourceHealth.State state) {
        SourceHealth h = new SourceHealth("journal:postfix", "journal", "_SYSTEMD_UNIT=postfix@-.service", state, null,
                null, 0, 0, null);
        return new SourceStatus(h, 0, 0, null, null, 0, Map.of(), 0);
    }
}
