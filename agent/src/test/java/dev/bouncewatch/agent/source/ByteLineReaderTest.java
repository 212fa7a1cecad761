package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteLineReaderTest {

    private static List<String> read(String text, int max) throws IOException {
        ByteLineReader r = new ByteLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
        List<String> out = new ArrayList<>();
        while (r.next()) {
            out.add((r.tooLong() ? "LONG:" : "") + new String(r.bytes(), 0, r.length(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void splitsAtNewlinesAndKeepsALastLineWithoutOne() throws IOException {
        assertThat(read("a\n\nbc\nlast", 100)).containsExactly("a", "", "bc", "last");
        assertThat(read("", 100)).isEmpty();
    }

    @Test
    void keepsOnlyTheStartOfAnOverlongLineAndGoesOn() throws IOException {
        String huge = "x".repeat(200_000);
        assertThat(read("ok\n" + huge + "\nafter\n", 1000)).containsExactly("ok", "LONG:" + "x".repeat(1000), "after");
    }

    @Test
    void tellsWhetherMoreIsBuffered() throws IOException {
        ByteLineReader r = new ByteLineReader(new ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)), 10);
        assertThat(r.next()).isTrue();
        assertThat(r.hasBuffered()).isTrue();
        assertThat(r.next()).isTrue();
        assertThat(r.hasBuffered()).isFalse();
        assertThat(r.next()).isFalse();
    }
}
