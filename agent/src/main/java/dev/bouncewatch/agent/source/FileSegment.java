package dev.bouncewatch.agent.source;

import java.nio.file.Path;

/** What every {@link LogSegment} keeps alike: the name it was opened under, where reading started, its identity. */
abstract sealed class FileSegment implements LogSegment permits PlainSegment, GzipSegment {

    private final Path path;
    private final long start;
    /** Widened by a plain file while it is younger than {@link FileIdentity#HEAD_BYTES}. */
    private FileIdentity identity;

    FileSegment(Path path, FileIdentity identity, long start) {
        this.path = path;
        this.identity = identity;
        this.start = start;
    }

    @Override
    public final Path path() {
        return path;
    }

    @Override
    public final FileIdentity identity() {
        return identity;
    }

    final void identity(FileIdentity widened) {
        this.identity = widened;
    }

    @Override
    public final long start() {
        return start;
    }

    @Override
    public final String toString() {
        return path + " (" + identity + ")";
    }
}
