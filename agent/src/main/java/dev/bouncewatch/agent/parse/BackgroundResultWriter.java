package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * Runs a {@link ResultWriter} on its own thread, so formatting JSON and writing it overlaps with
 * parsing: on a million-line log the two cost about the same. A slow consumer (a pipe to less) slows
 * the parser down instead of filling the heap; a write error is rethrown to the caller.
 */
public final class BackgroundResultWriter implements Closeable {

    private record Row(DeliveryResult result, Map<String, ?> extra) {
    }

    private final BackgroundStage<Row> stage;

    public BackgroundResultWriter(ResultWriter writer) {
        this.stage = new BackgroundStage<>("bouncewatch-result-writer", 512,
                row -> writer.write(row.result(), row.extra()), writer::flush);
    }

    public void write(DeliveryResult result) throws IOException {
        write(result, Map.of());
    }

    public void write(DeliveryResult result, Map<String, ?> extra) throws IOException {
        stage.accept(new Row(result, extra));
    }

    /** Writes what is left, waits for the thread and flushes; rethrows a write error. */
    @Override
    public void close() throws IOException {
        stage.close();
    }
}
