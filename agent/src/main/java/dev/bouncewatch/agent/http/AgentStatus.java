package dev.bouncewatch.agent.http;

import dev.bouncewatch.agent.parse.SkipReason;
import dev.bouncewatch.agent.source.SourceHealth;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the running agent tells {@code /healthz} and {@code /metrics}; implemented by the pipeline. */
public interface AgentStatus {

    Instant startedAt();

    List<SourceStatus> sources();

    /** Results the notifier has not delivered yet, per destination; empty without notifier. */
    Map<String, Long> notifierQueue();

    /**
     * A source as the pipeline sees it.
     *
     * @param committedLines  lines whose results are committed
     * @param results         results committed from this source
     * @param lastLineTime    MTA time of the newest committed result, null before the first
     * @param lastCommitAt    wall time of the last commit, null before the first
     * @param lagSeconds      how long the oldest line read but not committed has waited (0 when none)
     * @param skipped         lines skipped, by reason (garbage, too long, unrecognised ...)
     * @param invalidUtf8     lines that had invalid UTF-8 (decoded with replacement, still parsed)
     */
    record SourceStatus(SourceHealth health, long committedLines, long results, Instant lastLineTime,
                        Instant lastCommitAt, double lagSeconds, Map<SkipReason, Long> skipped, long invalidUtf8) {

        public SourceStatus {
            skipped = Map.copyOf(skipped);
        }
    }
}
