package dev.bouncewatch.agent.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.io.input.Tailer;
import org.apache.commons.io.input.TailerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of commons-io's {@link Tailer} over a {@link FollowedFile}, from one start position until it
 * is stopped or fails. A failed session is not continued: {@link FileSource} starts a new one from
 * the last delivered batch, which is what keeps a failure lossless.
 */
final class FollowSession implements TailerListener {

    private static final Logger log = LoggerFactory.getLogger(FollowSession.class);
    private static final int TAILER_BUFFER = 64 * 1024;

    private final String sourceId;
    private final BatchAssembler batches;
    private final FollowedFile file;
    private final Tailer tailer;
    private volatile boolean stopping;
    private volatile Exception failure;

    FollowSession(String sourceId, Path path, FileSourceOptions options, FileSourceStats stats, SourceListener listener,
                  String startPosition) throws IOException {
        this.sourceId = sourceId;
        RotatedFileFinder finder = new RotatedFileFinder(path);
        this.batches = new BatchAssembler(sourceId, listener, stats, options.maxBatchLines());
        this.file = new FollowedFile(path, finder, new ResumePlanner(path, finder, options).plan(startPosition),
                batches, stats, options);
        this.tailer = Tailer.builder()
                .setTailable(file)
                .setTailerListener(this)
                .setDelayDuration(options.pollInterval())
                .setTailFromEnd(false)
                .setIgnoreTouch(true)
                .setReOpen(false)
                .setCharset(StandardCharsets.UTF_8)
                .setBufferSize(TAILER_BUFFER)
                .setStartThread(false)
                .get();
    }

    /** Runs Tailer on the calling thread until {@link #stop()} or a failure. */
    void run() {
        try {
            tailer.run();
        } finally {
            file.closeAll();
        }
    }

    void stop() {
        stopping = true;
        tailer.close();
    }

    /** Closes what the plan opened, for a session that is not run. */
    void discard() {
        file.closeAll();
    }

    FilePosition delivered() {
        return batches.delivered();
    }

    /** Why Tailer ended, null when it was stopped. */
    Exception failure() {
        return failure;
    }

    @Override
    public void init(Tailer tailer) {
        // the session keeps its own reference
    }

    @Override
    public void fileNotFound() {
        log.debug("{}: file not there yet", sourceId);
    }

    @Override
    public void fileRotated() {
        log.debug("{}: moving on to the next file", sourceId);
    }

    @Override
    public void handle(String line) {
        batches.accept(line);
    }

    /**
     * Tailer reports an exception here and then ends, except while draining a rotated file, where it
     * would go on with the next file and leave the rest of the old one unread. So every error stops the
     * session.
     */
    @Override
    public void handle(Exception e) {
        if (stopping) {
            return;
        }
        failure = e;
        tailer.close();
    }
}
