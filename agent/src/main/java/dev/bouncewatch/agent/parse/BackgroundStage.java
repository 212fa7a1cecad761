package dev.bouncewatch.agent.parse;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one stage of the read path (classify, format, aggregate) on a thread of its own, so on two
 * cores it overlaps with parsing instead of adding to it. Items keep their order; they travel in
 * batches through a small bounded queue, so memory stays flat and a slow stage slows the producer
 * down instead of filling the heap. An error of the stage stops its thread and is rethrown to the
 * producer at its next hand-over or at {@link #close()}; whatever the stage built is safe to read
 * once close() has returned.
 *
 * @param <T> what is handed over
 */
public final class BackgroundStage<T> implements Closeable {

    /** The work done on the background thread, one item at a time. */
    @FunctionalInterface
    public interface Handler<T> {
        void handle(T item) throws IOException;
    }

    /** Runs on the background thread after the last item, e.g. a flush. */
    @FunctionalInterface
    public interface Finisher {
        void finish() throws IOException;
    }

    private static final int QUEUE_BATCHES = 16;

    private final Handler<T> handler;
    private final Finisher finisher;
    private final int batchSize;
    private final List<T> end = new ArrayList<>(0);
    private final BlockingQueue<List<T>> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final Thread thread;
    private volatile Throwable failure;
    private List<T> batch;
    private boolean closed;

    public BackgroundStage(String threadName, int batchSize, Handler<T> handler, Finisher finisher) {
        this.handler = handler;
        this.finisher = finisher;
        this.batchSize = batchSize;
        this.batch = new ArrayList<>(batchSize);
        this.thread = new Thread(this::drain, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public void accept(T item) throws IOException {
        batch.add(item);
        if (batch.size() >= batchSize) {
            handOver();
        }
    }

    private void handOver() throws IOException {
        checkFailure();
        try {
            while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                checkFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing over results");
        }
        batch = new ArrayList<>(batchSize);
    }

    private void drain() {
        try {
            while (true) {
                List<T> items = queue.take();
                if (items == end) {
                    finisher.finish();
                    return;
                }
                handle(items);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            queue.clear(); // unblock the producer; it sees the failure on its next hand-over
        }
    }

    /** One batch per call, so the JIT compiles this normally rather than replacing a long-running loop. */
    private void handle(List<T> items) throws IOException {
        for (int i = 0; i < items.size(); i++) {
            handler.handle(items.get(i));
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

    /** Hands over what is left and waits until the stage has seen every item; rethrows its error. */
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
            while (thread.isAlive() && !queue.offer(end, 100, TimeUnit.MILLISECONDS)) {
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
