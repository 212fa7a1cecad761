package dev.bouncewatch.agent.source;

import java.io.IOException;
import org.apache.commons.io.input.Tailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What commons-io's {@link Tailer} reads through: one {@link LogSegment}, served to Tailer as complete,
 * cleaned lines. Tailer on its own splits on a lone CR, buffers a line without limit and keeps no
 * byte offsets; so this bridge frames lines itself, on the raw bytes, and hands Tailer only what it
 * can take safely:
 * <ul>
 * <li>only lines whose LF has been written; the bytes of a line still being written stay here
 *     (Tailer would re-read them every poll);</li>
 * <li>each line as its content plus one LF: a CR before the LF is dropped, any other CR becomes a
 *     space, so Tailer hands over exactly one string per line;</li>
 * <li>at most {@code maxLineBytes} of a line (cut at a UTF-8 character boundary); the rest is read
 *     and dropped, and counted.</li>
 * </ul>
 * Because Tailer handles every byte of one {@code read} before it asks again, every line served by an
 * earlier call has reached the listener when {@code read} or {@code seek} is called: those calls are
 * where batches are cut, at the byte offset this bridge knows exactly. Tailer's own arithmetic on
 * {@link #getPointer()} is not used for positions: it can only lag behind the bridge's offset (lines
 * served shorter than in the file), and {@link #seek(long)} is taken as "Tailer has caught up", not
 * as an instruction to move.
 */
final class LineBridge implements Tailer.RandomAccessResourceBridge {

    private static final Logger log = LoggerFactory.getLogger(LineBridge.class);

    /** Read at most this much per Tailer pass, so rotation checks still happen while catching up. */
    private static final long MAX_PASS_BYTES = 64L * 1024 * 1024;
    private static final int READ_BUFFER = 64 * 1024;
    private static final long LOG_EVERY_CUT_LINE_UNTIL = 10;

    private final LogSegment segment;
    private final BatchAssembler batches;
    private final FileSourceStats stats;
    private final int maxLineBytes;

    private final byte[] buffer = new byte[READ_BUFFER];
    private int bufferFrom;
    private int bufferTo;
    /** Offset of the next byte to read from the segment. */
    private long readOffset;
    /** Offset just after the last byte moved from the buffer into {@link #line}. */
    private long framedOffset;

    /** The line being framed or served: its first {@code maxLineBytes} bytes, then room for the LF. */
    private final byte[] line;
    private int lineLength;
    private boolean lineCut;
    private boolean lineEndsWithCr;
    /** Started in the middle of a line: drop bytes up to the first LF. */
    private boolean resyncing;

    private boolean serving;
    private int served;
    private int serveLength;
    private long servingEnd;

    /** Offset after the last line Tailer has been given in full. */
    private long servedThrough;
    /** The position Tailer last passed to {@link #seek(long)}: what it believes it has read. */
    private long tailerPosition;
    private long passBytes;
    private boolean readSincePass;

    private boolean abandoned;
    private Runnable onFinished;
    private boolean finished;

    LineBridge(LogSegment segment, BatchAssembler batches, FileSourceStats stats, int maxLineBytes) {
        this.segment = segment;
        this.batches = batches;
        this.stats = stats;
        this.maxLineBytes = maxLineBytes;
        this.line = new byte[maxLineBytes + 1];
        this.readOffset = segment.start();
        this.framedOffset = segment.start();
        this.servedThrough = segment.start();
        this.resyncing = segment.startsMidLine();
        if (resyncing) {
            log.warn("{}: starting at {} in the middle of a line; its rest is skipped", segment.path(), segment.start());
        }
    }

    LogSegment segment() {
        return segment;
    }

    /** Offset after the last line Tailer has been given: where a restart would continue. */
    long servedThrough() {
        return servedThrough;
    }

    /** Bytes taken from the file so far (a line still being written included). */
    long readOffset() {
        return readOffset;
    }

    long tailerPosition() {
        return tailerPosition;
    }

    /** Every byte the segment holds right now has been framed; at most an unterminated line is left. */
    boolean atEnd() throws IOException {
        return abandoned || (!serving && bufferFrom == bufferTo && readOffset >= segment.readableEnd());
    }

    /**
     * The segment is over (rotated away): the next Tailer pass, its drain, also hands over an
     * unterminated last line, because no writer will finish it. {@code onFinished} runs when Tailer
     * closes this bridge after that drain reached the end.
     */
    void finish(Runnable onFinished) {
        this.onFinished = onFinished;
    }

    /** The bytes after {@link #servedThrough()} are gone (the file was truncated): read nothing more. */
    void abandon() {
        abandoned = true;
        bufferFrom = bufferTo;
        lineLength = 0;
        lineCut = false;
    }

    boolean abandoned() {
        return abandoned;
    }

    @Override
    public int read(byte[] into) throws IOException {
        readSincePass = true;
        caughtUp(false);
        boolean finishing = onFinished != null;
        if (abandoned) {
            finished = finishing;
            return -1;
        }
        if (!serving && !finishing && passBytes >= MAX_PASS_BYTES) {
            passBytes = 0;
            return -1;
        }
        int n = 0;
        while (n < into.length) {
            if (!serving && (batches.full() || !frameLine(finishing))) {
                break; // a full batch is cut at the next call, when Tailer has handed these lines over
            }
            int take = Math.min(serveLength - served, into.length - n);
            System.arraycopy(line, served, into, n, take);
            n += take;
            served += take;
            if (served == serveLength) {
                serving = false;
                servedThrough = servingEnd;
                lineLength = 0;
                batches.lineServed();
            }
        }
        passBytes += n;
        if (n == 0) {
            finished = finishing;
            return -1;
        }
        return n;
    }

    /**
     * Tailer calls this at its start (with 0) and after each pass (with the offset it computed).
     * Either way it has handed over every line it was given, so the pending lines are a batch.
     */
    @Override
    public void seek(long position) throws IOException {
        tailerPosition = position;
        caughtUp(true);
        if (readSincePass) {
            stats.passCompleted();
        }
        passBytes = 0;
        readSincePass = false;
    }

    @Override
    public long getPointer() {
        return servedThrough;
    }

    /** Closed by Tailer after its drain at rotation, or at its end. */
    @Override
    public void close() {
        segment.close();
        if (finished && onFinished != null) {
            Runnable then = onFinished;
            onFinished = null;
            then.run();
        }
    }

    private void caughtUp(boolean passEnded) throws IOException {
        batches.caughtUp(segment, servedThrough, passEnded);
    }

    /** Frames the next line into {@link #line}; false when no complete line is there yet. */
    private boolean frameLine(boolean finishing) throws IOException {
        while (true) {
            if (bufferFrom == bufferTo && fill() <= 0) {
                if (finishing && !resyncing && (lineLength > 0 || lineCut)) {
                    log.info("{}: last line at {} has no line feed; handing it over as the file is finished",
                            segment.path(), framedOffset);
                    completeLine();
                    return true;
                }
                return false;
            }
            int lf = indexOfLf(bufferFrom, bufferTo);
            int end = lf < 0 ? bufferTo : lf;
            if (!resyncing) {
                append(bufferFrom, end);
            }
            int consumed = end - bufferFrom + (lf < 0 ? 0 : 1);
            bufferFrom += consumed;
            framedOffset += consumed;
            if (lf >= 0) {
                if (resyncing) {
                    resyncing = false;
                    servedThrough = framedOffset;
                    continue;
                }
                completeLine();
                return true;
            }
        }
    }

    private int fill() throws IOException {
        bufferFrom = 0;
        bufferTo = 0;
        int n;
        try {
            n = segment.read(readOffset, buffer, 0, buffer.length);
        } catch (DamagedFileException e) {
            stats.error(e.getMessage());
            log.warn("{}; reading on from the next file", e.getMessage());
            return -1;
        }
        if (n > 0) {
            bufferTo = n;
            readOffset += n;
        }
        return n;
    }

    private int indexOfLf(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(int from, int to) {
        if (to == from) {
            return;
        }
        lineEndsWithCr = buffer[to - 1] == '\r';
        int take = Math.min(maxLineBytes - lineLength, to - from);
        System.arraycopy(buffer, from, line, lineLength, take);
        lineLength += take;
        if (take < to - from && !lineCut) {
            lineCut = true;
            line[maxLineBytes] = buffer[from + take]; // the first byte dropped: was a character split?
        }
    }

    /** Turns the framed bytes into what Tailer is given: cleaned content and one LF. */
    private void completeLine() {
        if (lineCut) {
            if (isContinuationByte(line[maxLineBytes])) {
                while (lineLength > 0 && isContinuationByte(line[lineLength - 1])) {
                    lineLength--;
                }
                if (lineLength > 0 && (line[lineLength - 1] & 0xC0) == 0xC0) {
                    lineLength--;
                }
            }
            long cut = stats.lineCut();
            if (cut <= LOG_EVERY_CUT_LINE_UNTIL || cut % 1000 == 0) {
                log.warn("{}: line ending at byte {} is longer than {} bytes; only its start is kept ({} lines cut so far)",
                        segment.path(), framedOffset, maxLineBytes, cut);
            }
        } else if (lineEndsWithCr) {
            lineLength--;
        }
        for (int i = 0; i < lineLength; i++) {
            if (line[i] == '\r') {
                line[i] = ' ';
            }
        }
        line[lineLength] = '\n';
        serveLength = lineLength + 1;
        served = 0;
        serving = true;
        servingEnd = framedOffset;
        lineCut = false;
        lineEndsWithCr = false;
    }

    private static boolean isContinuationByte(byte b) {
        return (b & 0xC0) == 0x80;
    }

    @Override
    public String toString() {
        return segment + " at " + servedThrough;
    }
}
