package dev.bouncewatch.testmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmtpServerEncoderTest {

    /** The wire form of a reply; written directly and via its SmtpResponse, which must agree. */
    private static String encode(Reply reply) {
        String direct = write(reply);
        assertThat(direct).as("Reply written directly vs as SmtpResponse").isEqualTo(write(SmtpServerEncoder.toResponse(reply)));
        return direct;
    }

    private static String write(Object message) {
        EmbeddedChannel ch = new EmbeddedChannel(new SmtpServerEncoder());
        ch.writeOutbound(message);
        ByteBuf out = ch.readOutbound();
        String s = out.toString(StandardCharsets.UTF_8);
        out.release();
        ch.finishAndReleaseAll();
        return s;
    }

    @Test
    void multiLineReplyRepeatsCodeWithDashesAndEndsWithSpace() {
        assertThat(encode(Reply.of(250, null, "mx Hello", "PIPELINING", "SIZE 0")))
                .isEqualTo("250-mx Hello\r\n250-PIPELINING\r\n250 SIZE 0\r\n");
    }

    @Test
    void enhancedCodeOnEveryLine() {
        assertThat(encode(Reply.of(550, "5.1.1", "No such user", "see docs")))
                .isEqualTo("550-5.1.1 No such user\r\n550 5.1.1 see docs\r\n");
    }

    @Test
    void emptyTextStillSendsTheSpace() {
        assertThat(encode(Reply.of(334, null, ""))).isEqualTo("334 \r\n");
    }

    @Test
    void longLineIsSplitUnder512OctetsKeepingTheEnhancedCode() {
        String wire = encode(Reply.of(550, "5.7.1", "x".repeat(1500)));
        String[] lines = wire.split("\r\n");
        assertThat(lines.length).isGreaterThan(2);
        for (int i = 0; i < lines.length; i++) {
            assertThat(lines[i].length() + 2).isLessThanOrEqualTo(512);
            assertThat(lines[i]).startsWith(i == lines.length - 1 ? "550 5.7.1 " : "550-5.7.1 ");
        }
        assertThat(wire.replaceAll("550[- ]5\\.7\\.1 |\r\n", "")).isEqualTo("x".repeat(1500));
    }

    @Test
    void lineBreaksInTextCannotForgeReplyLines() {
        assertThat(encode(Reply.of(250, null, "ok\r\n250 forged"))).isEqualTo("250 ok 250 forged\r\n");
    }

    @Test
    void directAndResponseFormsAgreeAtTheEdges() {
        int room = SmtpServerEncoder.MAX_TEXT_OCTETS;
        assertThat(encode(Reply.of(250, "2.0.0", ""))).isEqualTo("250 2.0.0\r\n");
        assertThat(encode(Reply.of(250, "2.1.5", "Ok", "", "more"))).isEqualTo("250-2.1.5 Ok\r\n250-2.1.5\r\n250 2.1.5 more\r\n");
        assertThat(encode(Reply.of(550, null, "x".repeat(room)))).isEqualTo("550 " + "x".repeat(room) + "\r\n");
        assertThat(encode(Reply.of(550, null, "x".repeat(room + 1))).split("\r\n")).hasSize(2);
        assertThat(encode(Reply.of(550, "5.1.1", "x".repeat(room - 6)))).hasSize(4 + room + 2);
        assertThat(encode(Reply.of(550, "5.1.1", "x".repeat(room - 5))).split("\r\n")).hasSize(2);
        assertThat(encode(Reply.of(250, null, "gr\u00fc\u00df dich \u2603"))).isEqualTo("250 gr\u00fc\u00df dich \u2603\r\n");
        assertThat(encode(Reply.of(250, "2.0.0", "\u00e9".repeat(room)))).contains("250-2.0.0 ").endsWith("\u00e9\r\n");
        assertThat(encode(Reply.of(421, "4.4.2", "a\rb\nc"))).isEqualTo("421 4.4.2 a b c\r\n");
    }
}
