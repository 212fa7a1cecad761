package dev.bouncewatch.testmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmtpServerEncoderTest {

    private static String encode(Reply reply) {
        EmbeddedChannel ch = new EmbeddedChannel(new SmtpServerEncoder());
        ch.writeOutbound(SmtpServerEncoder.toResponse(reply));
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
}
