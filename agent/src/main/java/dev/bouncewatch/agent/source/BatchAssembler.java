package dev.bouncewatch.agent.source;

import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the lines Tailer hands over and passes them on as {@link SourceBatch}es, each with the
 * position its last line ends at. {@link LineBridge} says when Tailer has caught up with what it was
 * served; only then is a batch cut, so a batch's position never runs ahead of its lines.
 */
final class BatchAssembler {

    private static final Logger log = LoggerFactory.getLogger(BatchAssembler.class);

    /** Also cut a batch when its text grows this large (few long lines). */
    private static final long MAX_BATCH_CHARS = 4L * 1024 * 1024;

    private final String sourceId;
    private final SourceListener listener;
    private final FileSourceStats stats;
    private final int maxBatchLines;

    private final List<String> lines = new ArrayList<>();
    private long chars;
    private long served;
    private long received;
    private int servedSinceDelivery;

    private LogSegment lastSegment;
    private long lastOffset;
    private FilePosition delivered;

    BatchAssembler(String sourceId, SourceListener listener, FileSourceStats stats, int maxBatchLines) {
        this.sourceId = sourceId;
        this.listener = listener;
        this.stats = stats;
        this.maxBatchLines = maxBatchLines;
    }

    /** Tailer's {@code handle(String)}: one served line. */
    void accept(String text) {
        lines.add(text);
        chars += text.length();
        received++;
    }

    /** The bridge gave Tailer one more complete line. */
    void lineServed() {
        served++;
        servedSinceDelivery++;
    }

    /** Enough lines were served for one batch: serve no more until it is delivered. */
    boolean full() {
        return servedSinceDelivery >= maxBatchLines || chars >= MAX_BATCH_CHARS;
    }

    /**
     * Tailer has handed over every line served so far; they end at {@code offset} of {@code segment}.
     * Passes them on when the batch is full or Tailer's pass is over.
     */
    void caughtUp(LogSegment segment, long offset, boolean passEnded) throws InterruptedIOException {
        if (received != served) {
            // a Tailer that split or merged lines differently would make positions wrong: say so loudly
            stats.error("tailer handed over " + received + " lines for " + served + " served");
            log.error("{}: tailer handed over {} lines for {} served; positions may be off", sourceId, received, served);
            served = received;
        }
        if (lines.isEmpty()) {
            return;
        }
        if (passEnded || lines.size() >= maxBatchLines || chars >= MAX_BATCH_CHARS) {
            deliver(segment, offset);
        }
    }

    /**
     * Reading moved on to {@code segment} at {@code offset} (a rotation, once the old file was drained):
     * an empty batch moves the checkpoint there, so a restart does not have to search for the old file.
     */
    void moved(LogSegment segment, long offset) {
        if (!lines.isEmpty()) {
            return; // the old file's last lines were not taken (stopping): the checkpoint stays there
        }
        try {
            deliver(segment, offset);
        } catch (InterruptedIOException e) {
            // stopping: the old file's end is delivered already; the next start finds the new file anyway
            Thread.currentThread().interrupt();
        }
    }

    /** The position of the last batch the listener took, null before the first. */
    FilePosition delivered() {
        return delivered;
    }

    private void deliver(LogSegment segment, long offset) throws InterruptedIOException {
        long readBytes = segment == lastSegment ? offset - lastOffset : offset - segment.start();
        FilePosition position = new FilePosition(segment.identity(), offset);
        SourceBatch batch = SourceBatch.ofLines(sourceId, lines, position.format(), readBytes);
        try {
            listener.onBatch(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stopped while handing over a batch");
        }
        stats.delivered(lines.size(), Instant.now());
        lines.clear();
        chars = 0;
        servedSinceDelivery = 0;
        lastSegment = segment;
        lastOffset = offset;
        delivered = position;
    }
}
