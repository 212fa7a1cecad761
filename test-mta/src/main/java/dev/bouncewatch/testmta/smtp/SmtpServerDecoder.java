package dev.bouncewatch.testmta.smtp;

import dev.bouncewatch.testmta.session.ProtocolOptions.BareLineFeedPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.smtp.DefaultSmtpContent;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Server-side SMTP framer: a pure function of the bytes received, in one of three modes the
 * session chooses as it goes.
 * <ul>
 *   <li>COMMAND: lines ending in CRLF ({@link CommandLine}); over-long or bare-LF lines become a
 *       {@link LineError} and are skipped without buffering them.</li>
 *   <li>DATA (after 354): body bytes as {@link io.netty.handler.codec.smtp.SmtpContent} slices,
 *       dot-unstuffed, then {@link DataEnd}. End of data is exactly {@code CRLF.CRLF} (RFC 5321
 *       4.1.1.4), found by a byte state machine that survives any TCP split, so the smuggling
 *       variants {@code LF.LF}, {@code LF.CRLF} and {@code CR.CR} never end the body.</li>
 *   <li>BDAT: exactly n octets, no dot handling (RFC 3030), then {@link DataEnd}.</li>
 * </ul>
 * Not {@code LineBasedFrameDecoder}: it ends lines at a bare LF and buffers whole lines.
 * The session may {@link #pause()} decoding (delayed replies, drops) so that pipelined input
 * waits in the cumulation and is never answered out of order.
 */
public final class SmtpServerDecoder extends ByteToMessageDecoder {

    private enum Mode { COMMAND, DATA, BDAT }

    /** RFC 4954 4: AUTH command and response lines up to 12288 octets (CRLF included) must be accepted. */
    public static final int MAX_AUTH_LINE = 12288;

    /** Where the DATA scanner is within a line. */
    private enum DataState { LINE_START, IN_LINE, CR, DOT, DOT_CR }

    private final int maxCommandLine;
    private final BareLineFeedPolicy bareLineFeed;

    private Mode mode = Mode.COMMAND;
    private boolean paused;
    private boolean discardingLongLine;
    private boolean authResponse;
    private DataState dataState;
    private boolean dataBareLineFeed;
    private long bdatRemaining;

    /**
     * @param maxCommandLine longest command line accepted, CRLF included
     * @param bareLineFeed   whether a bare LF ends a command line or gets it rejected
     */
    public SmtpServerDecoder(int maxCommandLine, BareLineFeedPolicy bareLineFeed) {
        if (maxCommandLine < 3) {
            throw new IllegalArgumentException("maxCommandLine must allow at least 'X\\r\\n'");
        }
        this.maxCommandLine = maxCommandLine;
        this.bareLineFeed = bareLineFeed;
    }

    /** The next bytes are a DATA body, up to and including the final {@code .CRLF}. */
    public void expectData() {
        mode = Mode.DATA;
        // RFC 5321 4.1.1.4: the CRLF ending the DATA command counts, so ".\r\n" right away is an empty body
        dataState = DataState.LINE_START;
        dataBareLineFeed = false;
    }

    /**
     * The next {@code octets} bytes are a BDAT chunk, read whatever the verdict on the command.
     * A chunk of 0 octets has nothing to read: the session answers it at once.
     */
    public void expectChunk(long octets) {
        if (octets <= 0) {
            throw new IllegalArgumentException("chunk size must be > 0, got " + octets);
        }
        mode = Mode.BDAT;
        bdatRemaining = octets;
    }

    /** Whether the next line answers an AUTH challenge, so it may be {@link #MAX_AUTH_LINE} long. */
    public void expectAuthResponse(boolean expected) {
        authResponse = expected;
    }

    /** Stops producing messages; what arrives meanwhile waits in the cumulation. */
    public void pause() {
        paused = true;
    }

    public boolean isPaused() {
        return paused;
    }

    /**
     * Resumes decoding and decodes what waited in the cumulation. Call on the event loop, outside
     * of this decoder's own {@code decode} (e.g. from a scheduled task).
     */
    public void resume(ChannelHandlerContext decoderContext) throws Exception {
        paused = false;
        channelRead(decoderContext, Unpooled.EMPTY_BUFFER);
    }

    /**
     * Drops every byte received but not yet decoded and returns how many there were: plaintext
     * pipelined after STARTTLS must never be executed (CVE-2011-0411 class).
     */
    public int discardBuffered() {
        ByteBuf buffered = internalBuffer();
        int n = buffered.readableBytes();
        buffered.skipBytes(n);
        return n;
    }

    /** Octets received but not yet decoded (for tests and diagnostics). */
    public int internalBufferSize() {
        return internalBuffer().readableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (paused || !in.isReadable()) {
            return;
        }
        switch (mode) {
            case COMMAND -> decodeCommand(in, out);
            case DATA -> decodeData(in, out);
            case BDAT -> decodeChunk(in, out);
        }
    }

    private void decodeCommand(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (discardingLongLine) {
            if (lf < 0) {
                in.skipBytes(in.readableBytes()); // memory stays bounded however long the line
                return;
            }
            in.readerIndex(lf + 1);
            discardingLongLine = false;
            out.add(new LineError(LineError.Kind.TOO_LONG));
            return;
        }
        int maxLine = maxLineAt(in, start);
        if (lf < 0) {
            if (in.readableBytes() >= maxLine) {
                in.skipBytes(in.readableBytes());
                discardingLongLine = true;
            }
            return;
        }
        int lengthWithLf = lf - start + 1;
        in.readerIndex(lf + 1);
        if (lengthWithLf > maxLine) {
            out.add(new LineError(LineError.Kind.TOO_LONG));
            return;
        }
        boolean crlf = lf > start && in.getByte(lf - 1) == '\r';
        if (!crlf && bareLineFeed == BareLineFeedPolicy.REJECT) {
            out.add(new LineError(LineError.Kind.BARE_LINE_FEED));
            return;
        }
        int textLength = lf - start - (crlf ? 1 : 0);
        out.add(new CommandLine(in.toString(start, textLength, StandardCharsets.UTF_8)));
    }

    private int maxLineAt(ByteBuf in, int start) {
        if (maxCommandLine >= MAX_AUTH_LINE || !authResponse && !startsWithAuth(in, start)) {
            return maxCommandLine;
        }
        return MAX_AUTH_LINE;
    }

    private static boolean startsWithAuth(ByteBuf in, int start) {
        return in.writerIndex() - start >= 5
                && (in.getByte(start) | 0x20) == 'a' && (in.getByte(start + 1) | 0x20) == 'u'
                && (in.getByte(start + 2) | 0x20) == 't' && (in.getByte(start + 3) | 0x20) == 'h'
                && in.getByte(start + 4) == ' ';
    }

    private void decodeData(ByteBuf in, List<Object> out) {
        int runStart = in.readerIndex();
        int end = in.writerIndex();
        DataState state = dataState;
        for (int i = runStart; i < end; i++) {
            byte b = in.getByte(i);
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        addRun(in, runStart, i, out);
                        runStart = i + 1; // the leading dot is either stuffing or the terminator
                        state = DataState.DOT;
                    } else {
                        state = afterContentByte(b);
                    }
                }
                case IN_LINE -> {
                    if (b != '\r' && b != '\n') {
                        // fast path: most body bytes are plain text up to the next line end
                        int lineEnd = in.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
                        if (lineEnd < 0) {
                            i = end - 1;
                            continue;
                        }
                        i = lineEnd;
                        b = in.getByte(i);
                    }
                    state = afterContentByte(b);
                }
                case CR -> state = b == '\n' ? DataState.LINE_START : afterContentByte(b);
                case DOT -> state = b == '\r' ? DataState.DOT_CR : afterContentByte(b);
                case DOT_CR -> {
                    if (b == '\n') {
                        in.readerIndex(i + 1);
                        mode = Mode.COMMAND;
                        dataState = null;
                        out.add(new DataEnd(dataBareLineFeed, false));
                        return;
                    }
                    // ".\r" followed by something else: an unstuffed line holding a bare CR
                    state = afterContentByte(b);
                }
            }
        }
        if (state == DataState.DOT_CR) {
            // keep the CR unread: it is content unless the next byte is the LF that ends the data
            addRun(in, runStart, end - 1, out);
            in.readerIndex(end - 1);
            dataState = DataState.DOT;
        } else {
            addRun(in, runStart, end, out);
            in.readerIndex(end);
            dataState = state;
        }
    }

    private DataState afterContentByte(byte b) {
        if (b == '\r') {
            return DataState.CR;
        }
        if (b == '\n') {
            // a bare LF is never a line start here, whatever the policy: LF.CRLF must not end data
            dataBareLineFeed = true;
        }
        return DataState.IN_LINE;
    }

    private static void addRun(ByteBuf in, int from, int to, List<Object> out) {
        if (to > from) {
            out.add(new DefaultSmtpContent(in.retainedSlice(from, to - from)));
        }
    }

    private void decodeChunk(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(bdatRemaining, in.readableBytes());
        if (n > 0) {
            out.add(new DefaultSmtpContent(in.readRetainedSlice(n)));
            bdatRemaining -= n;
        }
        if (bdatRemaining == 0) {
            mode = Mode.COMMAND;
            out.add(new DataEnd(false, true));
        }
    }
}
