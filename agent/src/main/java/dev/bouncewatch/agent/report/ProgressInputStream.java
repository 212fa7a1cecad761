package dev.bouncewatch.agent.report;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it and tells a {@link ProgressBar}. For a .gz file wrap the
 * compressed stream (before the GZIPInputStream), so the count matches the file size.
 */
public final class ProgressInputStream extends FilterInputStream {

    private final ProgressBar bar;
    private long count;

    public ProgressInputStream(InputStream in, ProgressBar bar) {
        super(in);
        this.bar = bar;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            bar.update(++count);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            count += n;
            bar.update(count);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count += skipped;
        bar.update(count);
        return skipped;
    }

    /** mark/reset would make the count run ahead of the real position: not offered. */
    @Override
    public boolean markSupported() {
        return false;
    }

    public long bytesRead() {
        return count;
    }
}
