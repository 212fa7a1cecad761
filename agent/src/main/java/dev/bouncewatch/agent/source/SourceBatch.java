package dev.bouncewatch.agent.source;

import dev.bouncewatch.agent.model.DeliveryResult;
import java.util.List;
import java.util.Objects;

/**
 * Lines read by one source, in order, and the position that is reached once every one of them has
 * been committed.
 *
 * @param sourceId  {@link Source#id()}
 * @param lines     complete log lines without their line terminator; empty for the sink
 * @param results   finished results that need no parsing (the embedded sink); empty for logs
 * @param position  opaque text the source understands at its next start, or null when there is
 *                  nothing to resume (the sink)
 * @param readBytes bytes these lines took in the file (0 when not a file), for lag accounting
 */
public record SourceBatch(String sourceId, List<String> lines, List<DeliveryResult> results, String position,
                          long readBytes) {

    public SourceBatch {
        Objects.requireNonNull(sourceId, "sourceId");
        lines = List.copyOf(lines);
        results = List.copyOf(results);
    }

    public static SourceBatch ofLines(String sourceId, List<String> lines, String position, long readBytes) {
        return new SourceBatch(sourceId, lines, List.of(), position, readBytes);
    }

    public static SourceBatch ofResults(String sourceId, List<DeliveryResult> results) {
        return new SourceBatch(sourceId, List.of(), results, null, 0);
    }
}
