package dev.bouncewatch.agent.source;

import dev.bouncewatch.agent.parse.MtaChoice;

/**
 * Where delivery results come from: a log file, the journal, or the embedded sink. A source reads on
 * its own thread(s) and hands complete lines (or, for the sink, finished results) to a
 * {@link SourceListener} in order. It never commits anything itself: the pipeline stores what a
 * batch yields together with the batch's position, and hands that position back at the next start.
 */
public interface Source extends AutoCloseable {

    /** Stable id, the checkpoint key: {@code file:/var/log/mail.log}, {@code journal:postfix}, {@code sink:127.0.0.1:2525}. */
    String id();

    /**
     * Starts reading and returns at once.
     *
     * @param storedPosition the position of the last committed batch, as this source wrote it into
     *                       {@link SourceBatch#position()}, or null on a first start
     */
    void start(String storedPosition, SourceListener listener);

    /** Which MTA wrote the lines: AUTO detects it per line (the default). */
    default MtaChoice format() {
        return MtaChoice.AUTO;
    }

    /**
     * Waits until the source does its job (the sink listens); false when it does not within the
     * timeout. Readiness (systemd's READY=1, the "ready" log line) waits for this.
     */
    default boolean awaitStarted(java.time.Duration timeout) throws InterruptedException {
        return true;
    }

    /** What {@code /healthz} and the metrics show; cheap, callable from any thread. */
    SourceHealth health();

    /**
     * Stops reading. On return no listener call is running or will be made; a batch handed over
     * before stays valid.
     */
    @Override
    void close();
}
