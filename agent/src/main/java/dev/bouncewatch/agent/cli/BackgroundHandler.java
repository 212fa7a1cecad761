package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.model.DeliveryResult;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link LogInputs.ResultHandler} (classify, then format or aggregate) on a thread of its own,
 * so on two cores it overlaps with parsing instead of adding to it: on a large log the two cost about
 * the same. Results keep their order; they travel in batches through a small bounded queue, so memory
 * stays flat and a slow handler slows the parser down. An error of the handler stops the thread and is
 * rethrown to the caller at its next hand-over or at {@link #close()}. Whatever the handler built is
 * safe to read once close() has returned.
 */
final class BackgroundHandler implements LogInputs.ResultHandler, Closeable {

    private static final int BATCH = 256;
    private static final int QUEUE_BATCHES = 16;
    private static final List<DeliveryResult> END = List.of();

    private final LogInputs.ResultHandler handler;
    private final BlockingQueue<List<DeliveryResult>> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final Thread thread;
    private volatile Throwable failure;
    private List<DeliveryResult> batch = new ArrayList<>(BATCH);
    private boolean closed;

    BackgroundHandler(LogInputs.ResultHandler handler, String name) {
        this.handler = handler;
        this.thread = new Thread(this::drain, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void handle(DeliveryResult result) throws IOException {
        batch.add(result);
        if (batch.size() >= BATCH) {
            handOver();
        }
    }

    private void handOver() throws IOException {
        try {
            while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                checkFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing over results");
        }
        batch = new ArrayList<>(BATCH);
    }

    private void drain() {
        try {
            while (true) {
                List<DeliveryResult> results = queue.take();
                if (results == END) {
                    return;
                }
                handle(results);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            queue.clear(); // unblock the producer; it sees the failure on its next hand-over
        }
    }

    /** One batch per call, so the JIT compiles this normally rather than replacing a long-running loop. */
    private void handle(List<DeliveryResult> results) throws IOException {
        for (int i = 0; i < results.size(); i++) {
            handler.handle(results.get(i));
        }
    }

    private void checkFailure() throws IOException {
        Throwable f = failure;
        if (f instanceof IOException io) {
            throw io;
        }
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error er) {
            throw er;
        }
    }

    /** Hands over what is left and waits until the handler has seen every result; rethrows its error. */
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
            while (thread.isAlive() && !queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
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
