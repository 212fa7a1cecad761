package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a {@link ResultWriter} on its own thread, so formatting JSON and writing it overlaps with
 * parsing: on a million-line log the two cost about the same. Results travel in batches through a
 * small bounded queue, so memory stays flat and a slow consumer (a pipe to less) slows the parser
 * down instead of filling the heap. A write error stops the thread and is rethrown to the caller.
 */
public final class BackgroundResultWriter implements Closeable {

    private static final int BATCH = 512;
    private static final int QUEUE_BATCHES = 16;
    private static final List<Row> END = List.of();

    private record Row(DeliveryResult result, Map<String, ?> extra) {
    }

    private final ResultWriter writer;
    private final BlockingQueue<List<Row>> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final Thread thread;
    private volatile IOException failure;
    private List<Row> batch = new ArrayList<>(BATCH);
    private boolean closed;

    public BackgroundResultWriter(ResultWriter writer) {
        this.writer = writer;
        this.thread = new Thread(this::drain, "bouncewatch-result-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public void write(DeliveryResult result) throws IOException {
        write(result, Map.of());
    }

    public void write(DeliveryResult result, Map<String, ?> extra) throws IOException {
        batch.add(new Row(result, extra));
        if (batch.size() >= BATCH) {
            handOver();
        }
    }

    private void handOver() throws IOException {
        checkFailure();
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing results");
        }
        batch = new ArrayList<>(BATCH);
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    private void drain() {
        try {
            while (true) {
                List<Row> rows = queue.take();
                if (rows == END) {
                    writer.flush();
                    return;
                }
                writeAll(rows);
            }
        } catch (IOException e) {
            failure = e;
            queue.clear(); // unblock the producer; it sees the failure on its next hand-over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One batch per call, so the JIT compiles this normally rather than replacing a long-running loop. */
    private void writeAll(List<Row> rows) throws IOException {
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            writer.write(row.result, row.extra);
        }
    }

    /** Writes what is left, waits for the thread and flushes; rethrows a write error. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!batch.isEmpty()) {
            handOver();
        }
        try {
            while (thread.isAlive() && !queue.offer(END, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                checkFailure();
            }
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing the results");
        }
        checkFailure();
    }
}
