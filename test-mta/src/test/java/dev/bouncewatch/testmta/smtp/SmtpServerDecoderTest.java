package dev.bouncewatch.testmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.session.ProtocolOptions.BareLineFeedPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.smtp.SmtpContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpServerDecoderTest {

    /** Collects what the decoder produces; switches it to DATA/BDAT as a session would. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final SmtpServerDecoder decoder;
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Recorder(SmtpServerDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof CommandLine line) {
                events.add("line:" + line.text());
                if (line.text().equals("DATA")) {
                    decoder.expectData();
                } else if (line.text().startsWith("BDAT ")) {
                    decoder.expectChunk(Long.parseLong(line.text().split(" ")[1]));
                }
            } else if (msg instanceof LineError e) {
                events.add("error:" + e.kind());
            } else if (msg instanceof SmtpContent c) {
                ByteBuf b = c.content();
                byte[] bytes = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), bytes);
                body.writeBytes(bytes);
                c.release();
            } else if (msg instanceof DataEnd end) {
                events.add("end:" + body.toString(StandardCharsets.ISO_8859_1) + (end.bareLineFeed() ? ":bareLF" : ""));
                body.reset();
            }
        }
    }

    private static Recorder run(String input, boolean oneByteWrites, BareLineFeedPolicy policy, int maxLine) {
        SmtpServerDecoder decoder = new SmtpServerDecoder(maxLine, policy);
        Recorder recorder = new Recorder(decoder);
        EmbeddedChannel channel = new EmbeddedChannel(decoder, recorder);
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        if (oneByteWrites) {
            for (byte b : bytes) {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        } else {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        channel.finishAndReleaseAll();
        return recorder;
    }

    private static List<String> decode(String input, boolean oneByteWrites) {
        return run(input, oneByteWrites, BareLineFeedPolicy.REJECT, 512).events;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void commandLinesEndAtCrlf(boolean oneByte) {
        assertThat(decode("EHLO a\r\nNOOP\r\n", oneByte)).containsExactly("line:EHLO a", "line:NOOP");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void dataEndsOnlyAtCrlfDotCrlfAcrossAnySplit(boolean oneByte) {
        assertThat(decode("DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n", oneByte))
                .containsExactly("line:DATA", "end:Subject: x\r\n\r\nbody\r\n", "line:QUIT");
    }

    @Test
    void everySplitPointOfTheFinalDotGivesTheSameBody() {
        String input = "DATA\r\nab\r\n..x\r\n.\r\nNOOP\r\n";
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        for (int split = 1; split < bytes.length; split++) {
            SmtpServerDecoder decoder = new SmtpServerDecoder(512, BareLineFeedPolicy.REJECT);
            Recorder r = new Recorder(decoder);
            EmbeddedChannel ch = new EmbeddedChannel(decoder, r);
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
            ch.finishAndReleaseAll();
            assertThat(r.events).as("split at %d", split)
                    .containsExactly("line:DATA", "end:ab\r\n.x\r\n", "line:NOOP");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void emptyBodyRightAfterData(boolean oneByte) {
        assertThat(decode("DATA\r\n.\r\n", oneByte)).containsExactly("line:DATA", "end:");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void leadingDotsAreUnstuffed(boolean oneByte) {
        assertThat(decode("DATA\r\n..leading\r\n...\r\n.\r\n", oneByte))
                .containsExactly("line:DATA", "end:.leading\r\n..\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\n.\nb", "a\n.\r\nb", "a\r.\rb", "a\r\n.\rb", "a\r\n.\nb"})
    void smugglingSequencesNeverEndData(String smuggled) {
        for (boolean oneByte : new boolean[] {false, true}) {
            List<String> events = decode("DATA\r\n" + smuggled + "\r\n.\r\n", oneByte);
            assertThat(events).hasSize(2);
            assertThat(events.get(1)).startsWith("end:a").contains("b\r\n");
        }
    }

    @Test
    void bareLineFeedInDataIsFlagged() {
        assertThat(decode("DATA\r\nx\ny\r\n.\r\n", false)).containsExactly("line:DATA", "end:x\ny\r\n:bareLF");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bdatReadsExactOctetsWithoutDotHandling(boolean oneByte) {
        assertThat(decode("BDAT 7\r\n.\r\n.\r\nXNOOP\r\n", oneByte))
                .containsExactly("line:BDAT 7", "end:.\r\n.\r\nX", "line:NOOP");
    }

    @Test
    void bareLineFeedCommandIsRejectedOrAcceptedByPolicy() {
        assertThat(decode("NOOP\nRSET\r\n", false)).containsExactly("error:BARE_LINE_FEED", "line:RSET");
        assertThat(run("NOOP\nRSET\r\n", false, BareLineFeedPolicy.ACCEPT, 512).events)
                .containsExactly("line:NOOP", "line:RSET");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void overlongLineIsReportedOnceAndTheSessionGoesOn(boolean oneByte) {
        String longLine = "NOOP " + "x".repeat(600) + "\r\n";
        assertThat(decode(longLine + "RSET\r\n", oneByte)).containsExactly("error:TOO_LONG", "line:RSET");
    }

    @Test
    void lineOfExactlyTheCapIsAccepted() {
        String line = "NOOP " + "x".repeat(512 - 7);
        assertThat(decode(line + "\r\n", false)).containsExactly("line:" + line);
        assertThat(decode(line + "y\r\n", false)).containsExactly("error:TOO_LONG");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void authLinesMayReach12288OctetsWhateverTheCommandLineCap(boolean oneByte) {
        String auth = "auth PLAIN " + "A".repeat(12288 - 13); // RFC 4954 4, CRLF included
        String noop = "NOOP " + "x".repeat(600);
        assertThat(run(auth + "\r\n" + noop + "\r\n" + auth + "A\r\nRSET\r\n", oneByte,
                BareLineFeedPolicy.REJECT, 512).events)
                .containsExactly("line:" + auth, "error:TOO_LONG", "error:TOO_LONG", "line:RSET");
    }

    @Test
    void authResponseLinesMayReach12288Octets() {
        SmtpServerDecoder decoder = new SmtpServerDecoder(512, BareLineFeedPolicy.REJECT);
        Recorder r = new Recorder(decoder);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, r);
        String response = "B".repeat(12288 - 2);
        decoder.expectAuthResponse(true);
        ch.writeInbound(Unpooled.wrappedBuffer((response + "\r\n").getBytes(StandardCharsets.US_ASCII)));
        decoder.expectAuthResponse(false);
        ch.writeInbound(Unpooled.wrappedBuffer((response + "\r\n").getBytes(StandardCharsets.US_ASCII)));
        ch.finishAndReleaseAll();
        assertThat(r.events).containsExactly("line:" + response, "error:TOO_LONG");
    }

    @Test
    void tenMegabyteLineKeepsMemoryBounded() {
        SmtpServerDecoder decoder = new SmtpServerDecoder(2048, BareLineFeedPolicy.REJECT);
        Recorder r = new Recorder(decoder);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, r);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'A');
        int maxBuffered = 0;
        for (int sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) {
            ch.writeInbound(Unpooled.wrappedBuffer(chunk));
            maxBuffered = Math.max(maxBuffered, decoder.internalBufferSize());
        }
        ch.writeInbound(Unpooled.wrappedBuffer("\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII)));
        ch.finishAndReleaseAll();
        assertThat(maxBuffered).isLessThanOrEqualTo(chunk.length);
        assertThat(r.events).containsExactly("error:TOO_LONG", "line:NOOP");
    }

    @Test
    void pausedDecoderHoldsInputUntilResumed() throws Exception {
        SmtpServerDecoder decoder = new SmtpServerDecoder(512, BareLineFeedPolicy.REJECT);
        Recorder r = new Recorder(decoder);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, r);
        decoder.pause();
        ch.writeInbound(Unpooled.wrappedBuffer("NOOP\r\nRSET\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.events).isEmpty();
        decoder.resume(ch.pipeline().context(decoder));
        assertThat(r.events).containsExactly("line:NOOP", "line:RSET");
        ch.finishAndReleaseAll();
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        SmtpServerDecoder decoder = new SmtpServerDecoder(512, BareLineFeedPolicy.REJECT);
        Recorder r = new Recorder(decoder);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, r);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'V', 'R', 'F', 'Y', ' ', (byte) 0xC3, (byte) 0x28, '\r', '\n'}));
        ch.finishAndReleaseAll();
        assertThat(r.events).containsExactly("line:VRFY \uFFFD(");
    }
}
