package dev.bouncewatch.agent.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One file a {@link FileSource} reads from a given offset: the live log, a rotated sibling, or a
 * compressed one. Offsets are in the file's (uncompressed) bytes.
 */
sealed interface LogSegment extends Closeable permits FileSegment {

    /** The name the file had when it was opened (it may have been renamed since). */
    Path path();

    /** Key and head of the file; the head widens while a young file grows ({@link PlainSegment#rewritten(long)}). */
    FileIdentity identity();

    /** The offset reading started at. */
    long start();

    /**
     * Reads up to {@code length} bytes at {@code offset}, which is always the first byte not yet read.
     *
     * @return bytes read, or -1 when there are none at the moment
     */
    int read(long offset, byte[] into, int from, int length) throws IOException;

    /** How far the file can be read right now; {@link Long#MAX_VALUE} while a stream has not reached its end. */
    long readableEnd() throws IOException;

    /** Whether a writer may still append to it (a plain file); a compressed file is complete. */
    boolean canGrow();

    /** True when {@link #start()} is not just after a line feed, so the first bytes finish someone else's line. */
    boolean startsMidLine();

    @Override
    void close();
}
