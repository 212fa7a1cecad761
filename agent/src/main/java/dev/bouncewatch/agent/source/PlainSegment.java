package dev.bouncewatch.agent.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An uncompressed file, read through one open channel by position, so it can be drained to its end
 * after it has been renamed or unlinked (logrotate, {@code postfix logrotate}).
 */
final class PlainSegment extends FileSegment {

    private final FileChannel channel;
    private final Object fileKey;
    private long largestEnd;

    private PlainSegment(Path path, FileChannel channel, Object fileKey, FileIdentity identity, long start) {
        super(path, identity, start);
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /**
     * Opens the file now at {@code path}. The key is read before and after opening and must agree, so
     * a rename in between cannot pair the channel with another file's key.
     */
    static PlainSegment open(Path path, long start) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Object keyBefore = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            try {
                Object keyAfter = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
                if (keyBefore == null || keyBefore.equals(keyAfter) || attempt == 2) {
                    byte[] head = new byte[FileIdentity.HEAD_BYTES];
                    int length = readFully(channel, head, 0);
                    return new PlainSegment(path, channel, keyAfter, FileIdentity.of(keyAfter, head, length), start);
                }
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            channel.close();
        }
    }

    /** The key of the open file, as the file system gives it (compare with a fresh stat of the path). */
    Object fileKey() {
        return fileKey;
    }

    @Override
    public int read(long offset, byte[] into, int from, int length) throws IOException {
        return channel.read(ByteBuffer.wrap(into, from, length), offset);
    }

    @Override
    public long readableEnd() throws IOException {
        return channel.size();
    }

    @Override
    public boolean canGrow() {
        return true;
    }

    @Override
    public boolean startsMidLine() {
        if (start() == 0) {
            return false;
        }
        try {
            byte[] previous = new byte[1];
            return read(start() - 1, previous, 0, 1) != 1 || previous[0] != '\n';
        } catch (IOException e) {
            return true;
        }
    }

    /** True when this is the file {@code other} was taken from: same key (when known) and same first bytes. */
    boolean holds(FileIdentity other) throws IOException {
        byte[] head = new byte[FileIdentity.HEAD_BYTES];
        int length = readFully(channel, head, 0);
        return other.matches(fileKey, head, length);
    }

    /** The largest size {@link #rewritten(long)} has seen. */
    long largestEnd() {
        return largestEnd;
    }

    /**
     * True when the file no longer holds what was seen of it: fewer bytes than it had or than were
     * taken from it, or other first bytes (copytruncate, even when refilled beyond the old end, or a
     * writer that rewrote it). Otherwise widens the identity while the file is younger than
     * {@link FileIdentity#HEAD_BYTES}.
     */
    boolean rewritten(long bytesTaken) throws IOException {
        long size = readableEnd();
        if (size < Math.max(bytesTaken, largestEnd)) {
            return true;
        }
        largestEnd = size;
        return !headStillMatches();
    }

    private boolean headStillMatches() throws IOException {
        byte[] head = new byte[FileIdentity.HEAD_BYTES];
        int length = readFully(channel, head, 0);
        if (!identity().headMatches(head, length)) {
            return false;
        }
        identity(identity().widened(head, length));
        return true;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a read-only channel has nothing to flush
        }
    }

    private static int readFully(FileChannel channel, byte[] into, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, offset + buffer.position());
            if (n < 0) {
                break;
            }
        }
        return buffer.position();
    }
}
