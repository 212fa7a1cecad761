package dev.bouncewatch.testmta.events;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.server.TransactionListener;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every transaction event as one JSON object per line (JSON Lines). Netty threads only
 * {@code offer} to a bounded queue; one writer thread does the I/O. When the disk is slower than
 * the sink, events are dropped and counted rather than ever blocking an event loop.
 */
public final class JsonLinesEventWriter implements TransactionListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesEventWriter.class);
    private static final JsonFactory JSON = new JsonFactory();
    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;

    private final BlockingQueue<TransactionEvent> queue;
    private final OutputStream out;
    private final JsonGenerator generator;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean closing;
    private boolean writeFailed;

    /** Takes ownership of {@code out}; it is closed by {@link #close()}. */
    public JsonLinesEventWriter(OutputStream out, int queueCapacity, String name) throws IOException {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("event queue capacity must be at least 1, got " + queueCapacity);
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.generator = JSON.createGenerator(this.out, JsonEncoding.UTF8);
        // no separator of Jackson's own: each object is followed by exactly one newline
        generator.setRootValueSeparator(null);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.thread = new Thread(this::drain, "event-writer " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Appends to {@code file}, creating it (not its directory) when missing. */
    public static JsonLinesEventWriter open(Path file, int queueCapacity) throws IOException {
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        return new JsonLinesEventWriter(out, queueCapacity, file.toString());
    }

    /** Writes to standard output (for {@code --events -}); closing flushes but leaves stdout open. */
    public static JsonLinesEventWriter stdout(int queueCapacity) throws IOException {
        OutputStream out = new FilterOutputStream(new FileOutputStream(FileDescriptor.out)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                this.out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        return new JsonLinesEventWriter(out, queueCapacity, "stdout");
    }

    @Override
    public void onReply(TransactionEvent event) {
        if (closing || !queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Events lost because the queue was full, the writer was closed, or the output failed. */
    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return written.get();
    }

    private void drain() {
        List<TransactionEvent> batch = new ArrayList<>(1024);
        while (true) {
            try {
                TransactionEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 1023);
                writeBatch(batch);
                batch.clear();
            } catch (InterruptedException e) {
                // close() waits for the queue to empty; an interrupt only comes from outside
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeBatch(List<TransactionEvent> batch) {
        if (writeFailed) {
            dropped.addAndGet(batch.size());
            return;
        }
        try {
            for (TransactionEvent e : batch) {
                TransactionEventJson.write(generator, e);
                generator.writeRaw('\n');
            }
            // flush per batch: a tail -f sees events promptly, and a busy sink still writes in large chunks
            generator.flush();
            written.addAndGet(batch.size());
        } catch (IOException | RuntimeException e) {
            writeFailed = true;
            dropped.addAndGet(batch.size());
            LOG.error("event output failed, further events are dropped and counted: {}", e.toString());
        }
    }

    /** Writes what is queued, flushes and closes the output. Events arriving later are dropped. */
    @Override
    public void close() throws IOException {
        closing = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // an event offered while closing may have slipped in after the writer's last look
        List<TransactionEvent> late = new ArrayList<>();
        queue.drainTo(late);
        dropped.addAndGet(late.size());
        try {
            generator.close();
        } finally {
            out.close();
        }
    }
}
