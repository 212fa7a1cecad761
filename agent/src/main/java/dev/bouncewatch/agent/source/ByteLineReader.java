package dev.bouncewatch.agent.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream at {@code \n}, keeping at most {@code maxBytes} of a line so one endless
 * line from a child process cannot exhaust memory: the rest of such a line is read and dropped and
 * the line is marked too long. Bytes are kept as bytes because JSON parsers read UTF-8 directly.
 * Not thread-safe.
 */
final class ByteLineReader {

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int len;
    private byte[] line = new byte[8 * 1024];
    private int lineLength;
    private boolean tooLong;

    ByteLineReader(InputStream in, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /**
     * Reads the next line; false at the end of the stream (a last line without {@code \n} is still
     * returned). The line is then in {@link #bytes()}, valid until the next call.
     */
    boolean next() throws IOException {
        lineLength = 0;
        tooLong = false;
        boolean any = false;
        while (true) {
            if (pos == len) {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    pos = 0;
                    len = 0;
                    return any;
                }
                pos = 0;
                len = n;
            }
            any = true;
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < len) {
                pos++; // the '\n'
                return true;
            }
        }
    }

    /** The line read by {@link #next()}, without its {@code \n}; the first maxBytes when too long. */
    byte[] bytes() {
        return line;
    }

    int length() {
        return lineLength;
    }

    /** The line had more than maxBytes bytes; only the first maxBytes are kept. */
    boolean tooLong() {
        return tooLong;
    }

    /** True when a next line could be (partly) read without blocking: time to flush a batch otherwise. */
    boolean hasBuffered() throws IOException {
        return pos < len || in.available() > 0;
    }

    private void append(int from, int n) {
        int room = maxBytes - lineLength;
        if (n > room) {
            tooLong = true;
            n = room;
        }
        if (n <= 0) {
            return;
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.min(maxBytes, Math.max(line.length * 2, lineLength + n)));
        }
        System.arraycopy(buf, from, line, lineLength, n);
        lineLength += n;
    }
}
