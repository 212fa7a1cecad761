package dev.bouncewatch.agent.cli;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines like {@link java.io.BufferedReader#readLine()} but keeps at most {@code maxChars} of
 * each, so one endless line cannot exhaust memory; the rest of such a line is read and dropped.
 */
final class BoundedLineReader {

    /** One line; {@code truncated} when characters beyond the limit were dropped. */
    record Line(String text, boolean truncated) {
    }

    private final Reader in;
    private final int maxChars;
    private final char[] buf = new char[8192];
    private int pos;
    private int len;

    BoundedLineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its terminator (\n, \r\n or \r), or null at the end of input. */
    Line next() throws IOException {
        StringBuilder sb = new StringBuilder();
        boolean truncated = false;
        boolean any = false;
        while (true) {
            if (pos == len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return any ? new Line(sb.toString(), truncated) : null;
                }
            }
            any = true;
            char c = buf[pos++];
            if (c == '\n') {
                return new Line(sb.toString(), truncated);
            }
            if (c == '\r') {
                if (pos == len) {
                    len = in.read(buf, 0, buf.length);
                    pos = 0;
                    len = Math.max(len, 0);
                }
                if (pos < len && buf[pos] == '\n') {
                    pos++;
                }
                return new Line(sb.toString(), truncated);
            }
            if (sb.length() < maxChars) {
                sb.append(c);
            } else {
                truncated = true;
            }
        }
    }
}
