package dev.bouncewatch.testmta.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageBodyTest {

    private static String stuff(String s) {
        return new String(MessageBody.dotStuff(s.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
    }

    @Test
    void doublesEveryLeadingDotAndOnlyThose() {
        assertThat(stuff(".a\r\nb.c\r\n..\r\n.\r\n")).isEqualTo("..a\r\nb.c\r\n...\r\n..\r\n");
    }

    @Test
    void addsTheFinalLineEndTheTerminatorNeeds() {
        assertThat(stuff("no newline")).isEqualTo("no newline\r\n");
        assertThat(stuff("")).isEqualTo("\r\n");
        assertThat(stuff(".")).isEqualTo("..\r\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100, 1024, 10_000, 1_000_000})
    void generatedMessagesHaveRoughlyTheAskedSizeAndValidLines(int size) {
        String text = new String(MessageBody.compose(size, "s@example.test"), StandardCharsets.US_ASCII);

        assertThat(text).startsWith("From: Load Source <s@example.test>\r\n").contains("\r\n\r\n").endsWith("\r\n");
        if (size >= 1024) {
            // within one text line of the target, the Message-ID line making up the rest
            assertThat(text.length()).isBetween(size - 200, size);
            assertThat(text).contains("\r\n.signature-like"); // the body exercises dot-stuffing
        }
        String[] lines = text.split("\r\n", -1);
        assertThat(lines).allMatch(l -> l.length() <= 998 && !l.contains("\n") && !l.contains("\r"));
    }

    @Test
    void sharedContentIsStuffedOnceAndReadableManyTimes() {
        MessageBody body = MessageBody.of(".x\r\n");
        assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("..x\r\n");
        assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("..x\r\n");
        assertThat(body.size()).isEqualTo(4);
    }
}
