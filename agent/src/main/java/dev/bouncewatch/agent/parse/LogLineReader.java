package dev.bouncewatch.agent.parse;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads log lines from bytes: splits on LF (a CR before it is dropped), decodes each line as UTF-8 with
 * malformed bytes replaced (never an exception for a bad byte), and keeps memory bounded: a line longer
 * than the limit is dropped and counted, not buffered. Gzip input is recognised by its magic bytes,
 * so rotated {@code mail.log.2.gz} files are read directly.
 */
public final class LogLineReader implements Closeable {

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];
    private long tooLong;
    private boolean eof;

    public LogLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** A reader that unzips when the stream starts with the gzip magic bytes. */
    public static LogLineReader open(InputStream raw, int maxLineBytes) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new LogLineReader(new GZIPInputStream(in, BUFFER), maxLineBytes);
        }
        return new LogLineReader(in, maxLineBytes);
    }

    /** Lines dropped so far for being longer than the limit. */
    public long tooLongLines() {
        return tooLong;
    }

    /** The next line without its line ending, or null at the end of input. Too-long lines are skipped. */
    public String readLine() throws IOException {
        while (true) {
            int len = 0;
            boolean overflow = false;
            boolean sawNewline = false;
            while (!sawNewline) {
                if (pos >= limit && (eof || !fill())) {
                    break;
                }
                int start = pos;
                int nl = -1;
                for (int i = pos; i < limit; i++) {
                    if (buf[i] == '\n') {
                        nl = i;
                        break;
                    }
                }
                int end = nl < 0 ? limit : nl;
                int chunk = end - start;
                if (!overflow && len + chunk > maxLineBytes) {
                    overflow = true; // stop buffering, keep reading to the end of this line
                } else if (!overflow) {
                    if (len + chunk > line.length) {
                        line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, len + chunk)));
                    }
                    System.arraycopy(buf, start, line, len, chunk);
                    len += chunk;
                }
                pos = nl < 0 ? end : nl + 1;
                sawNewline = nl >= 0;
            }
            if (overflow) {
                tooLong++;
                continue;
            }
            if (!sawNewline && len == 0) {
                return null; // end of input
            }
            if (len > 0 && line[len - 1] == '\r') {
                len--;
            }
            return new String(line, 0, len, StandardCharsets.UTF_8);
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
