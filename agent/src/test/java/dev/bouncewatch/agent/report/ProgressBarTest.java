package dev.bouncewatch.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(sink, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    private String drawn() {
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDisabledBarPrintsNothing() {
        try (ProgressBar bar = new ProgressBar(err, 10_000_000, "mail.log", false, clock::get)) {
            for (long b = 0; b <= 10_000_000; b += 100_000) {
                clock.addAndGet(1_000_000_000L);
                bar.update(b);
            }
        }

        assertThat(drawn()).isEmpty();
    }

    @Test
    void redrawsAtMostFourTimesASecondAndEndsTheLine() {
        long total = 100L * 1024 * 1024;
        try (ProgressBar bar = new ProgressBar(err, total, "mail.log", true, clock::get)) {
            // 1 MiB every 10 ms for a second: 100 updates, 4 redraws
            for (int i = 1; i <= 100; i++) {
                clock.addAndGet(10_000_000L);
                bar.update(i * 1024L * 1024);
            }
        }

        String out = drawn();
        assertThat(out.chars().filter(c -> c == '\r').count()).isEqualTo(5); // 4 redraws + the final state
        assertThat(out).endsWith("\n").contains("mail.log [").contains("100.0 MiB / 100.0 MiB").contains("100%");
        assertThat(out).contains(" 25% ").contains("100.0 MiB/s");
    }

    @Test
    void nothingIsPrintedWhenTheInputWasTooSmallToDraw() {
        try (ProgressBar bar = new ProgressBar(err, 1000, "tiny.log", true, clock::get)) {
            clock.addAndGet(5_000_000_000L);
            bar.update(1000);
        }

        assertThat(drawn()).isEmpty();
    }

    @Test
    void anUnknownTotalShowsBytesAndRate() {
        ProgressBar bar = new ProgressBar(err, -1, "-", true, clock::get);
        clock.addAndGet(2_000_000_000L);

        assertThat(bar.line(clock.get())).isEqualTo("- 0 B  0 B/s");
        bar.update(4L * 1024 * 1024);
        assertThat(bar.line(clock.get())).isEqualTo("- 4.0 MiB  2.0 MiB/s");
    }

    @Test
    void theStreamCountsBytesAndFeedsTheBar() throws Exception {
        byte[] data = new byte[300_000];
        ProgressBar bar = new ProgressBar(err, data.length, "x", true, clock::get);
        try (ProgressInputStream in = new ProgressInputStream(new ByteArrayInputStream(data), bar)) {
            byte[] buf = new byte[8192];
            clock.addAndGet(1_000_000_000L);
            assertThat(in.read()).isZero();
            while (in.read(buf) > 0) {
                clock.addAndGet(1_000_000_000L);
            }
            assertThat(in.bytesRead()).isEqualTo(data.length);
            assertThat(in.markSupported()).isFalse();
        }
        bar.finish();

        assertThat(drawn()).contains("100%").endsWith("\n");
    }

    @Test
    void sizesAndDurationsReadWell() {
        assertThat(dev.bouncewatch.agent.notify.DisplayFormat.bytes(512)).isEqualTo("512 B");
        assertThat(dev.bouncewatch.agent.notify.DisplayFormat.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(dev.bouncewatch.agent.notify.DisplayFormat.bytes(3L * 1024 * 1024 * 1024)).isEqualTo("3.0 GiB");
        assertThat(ProgressBar.duration(75)).isEqualTo("1:15");
        assertThat(ProgressBar.duration(3725)).isEqualTo("1:02:05");
    }

    @Test
    void forcingTheBarDrawsItWhateverStderrIs() {
        assertThat(ProgressBar.forStderr(100, "x", true).enabled()).isTrue();
    }
}
