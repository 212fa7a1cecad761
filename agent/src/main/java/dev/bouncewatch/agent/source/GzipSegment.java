package dev.bouncewatch.agent.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.GZIPInputStream;

/**
 * A rotated file that logrotate or {@code postfix logrotate} has compressed. It is read once, front to
 * back; offsets count uncompressed bytes, so a position taken in the plain file still applies.
 */
final class GzipSegment extends FileSegment {

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final boolean startsMidLine;
    private long position;
    private boolean ended;

    private GzipSegment(Path path, FileIdentity identity, long start, InputStream in, boolean startsMidLine) {
        super(path, identity, start);
        this.in = in;
        this.startsMidLine = startsMidLine;
        this.position = start;
    }

    /**
     * Opens {@code path} and skips {@code start} uncompressed bytes.
     *
     * @throws EOFException when the file holds fewer than {@code start} bytes
     */
    static GzipSegment open(Path path, long start) throws IOException {
        Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        byte[] head = new byte[FileIdentity.HEAD_BYTES];
        int headLength = readHead(path, head);
        InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(path), BUFFER), BUFFER);
        try {
            boolean midLine = false;
            if (start > 0) {
                in.skipNBytes(start - 1);
                int previous = in.read();
                if (previous < 0) {
                    throw new EOFException(path + " holds fewer than " + start + " bytes");
                }
                midLine = previous != '\n';
            }
            return new GzipSegment(path, FileIdentity.of(key, head, headLength), start, in, midLine);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads the first {@link FileIdentity#HEAD_BYTES} uncompressed bytes of a gzip file. */
    static int readHead(Path path, byte[] head) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            return in.readNBytes(head, 0, head.length);
        } catch (EOFException e) {
            return 0;
        }
    }

    @Override
    public int read(long offset, byte[] into, int from, int length) throws IOException {
        if (offset != position) {
            throw new IOException(path() + ": compressed file read at " + offset + " but stands at " + position);
        }
        if (ended) {
            return -1;
        }
        int n;
        try {
            n = in.read(into, from, length);
        } catch (EOFException e) {
            // a cut-off archive cannot be completed by waiting: what was inflated is all there is
            ended = true;
            throw new DamagedFileException(path() + " ends before its gzip trailer after " + position + " bytes", e);
        }
        if (n < 0) {
            ended = true;
            return -1;
        }
        position += n;
        return n;
    }

    @Override
    public long readableEnd() {
        return ended ? position : Long.MAX_VALUE;
    }

    @Override
    public boolean canGrow() {
        return false;
    }

    @Override
    public boolean startsMidLine() {
        return startsMidLine;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was written
        }
    }
}
