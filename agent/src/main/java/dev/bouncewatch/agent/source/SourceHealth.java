package dev.bouncewatch.agent.source;

import java.time.Instant;

/**
 * A source's state as {@code /healthz} shows it.
 *
 * @param id          {@link Source#id()}
 * @param type        {@code file}, {@code journal}, {@code sink}
 * @param target      what it reads: a path, the journal matches, the listen address
 * @param state       see {@link State}
 * @param lagBytes    bytes in the file beyond what was handed over; null when not a file
 * @param lastReadAt  when a line was last read, null before the first
 * @param linesRead   lines handed over since start
 * @param errors      read errors since start (each also logged)
 * @param lastError   the last error's message, null when none
 */
public record SourceHealth(String id, String type, String target, State state, Long lagBytes, Instant lastReadAt,
                           long linesRead, long errors, String lastError) {

    public enum State {
        /** reading or waiting for new lines */
        RUNNING,
        /** the file or journal is not there (yet); retrying */
        WAITING,
        /** failing; retrying with back-off */
        FAILING,
        STOPPED
    }
}
