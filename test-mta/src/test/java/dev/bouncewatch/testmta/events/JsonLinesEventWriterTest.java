package dev.bouncewatch.testmta.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.session.Stage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JsonLinesEventWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void writesOneCompleteObjectPerLine() throws Exception {
        Path file = dir.resolve("events.jsonl");
        TransactionEvent dataEnd = new TransactionEvent(Instant.parse("2026-11-29T04:05:06.789Z"), "s1", "192.0.2.7",
                "mx.example.test", Stage.DATA_END, "", null, List.of("a@example.test", "b@example.test"), 550,
                "5.7.1", List.of("Message rejected", "see \"policy\" \\ here"), "spam-rule", "<id@example.test>", true);
        try (JsonLinesEventWriter w = JsonLinesEventWriter.open(file, 16)) {
            w.onReply(Events.rcpt("s1", "bob@example.test", 250, "2.1.5", "OK", null));
            w.onReply(dataEnd);
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("stage").asText()).isEqualTo("rcpt");
        assertThat(first.get("recipient").asText()).isEqualTo("bob@example.test");
        assertThat(first.get("rule").isNull()).isTrue();
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("time").asText()).isEqualTo("2026-11-29T04:05:06.789Z");
        assertThat(second.get("stage").asText()).isEqualTo("data_end");
        assertThat(second.get("sender").asText()).isEmpty();
        assertThat(second.get("recipients")).hasSize(2);
        assertThat(second.get("code").asInt()).isEqualTo(550);
        assertThat(second.get("enhanced_code").asText()).isEqualTo("5.7.1");
        assertThat(second.get("text").asText()).isEqualTo("Message rejected see \"policy\" \\ here");
        assertThat(second.get("rule").asText()).isEqualTo("spam-rule");
        assertThat(second.get("message_id").asText()).isEqualTo("<id@example.test>");
        assertThat(second.get("closed").asBoolean()).isTrue();
    }

    @Test
    void appendsToAnExistingFile() throws Exception {
        Path file = dir.resolve("events.jsonl");
        try (JsonLinesEventWriter w = JsonLinesEventWriter.open(file, 4)) {
            w.onReply(Events.at("a", Stage.CONNECT, 220));
        }
        try (JsonLinesEventWriter w = JsonLinesEventWriter.open(file, 4)) {
            w.onReply(Events.at("b", Stage.CONNECT, 220));
        }
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void manyThreadsAtOnceLoseNothingWhenTheQueueIsLargeEnough() throws Exception {
        Path file = dir.resolve("events.jsonl");
        int threads = 4;
        int perThread = 5_000;
        JsonLinesEventWriter w = JsonLinesEventWriter.open(file, threads * perThread);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    w.onReply(Events.at("t" + id + "-" + i, Stage.MAIL, 250));
                }
            });
            workers[t].start();
        }
        go.countDown();
        for (Thread t : workers) {
            t.join();
        }
        w.close();

        List<String> lines = Files.readAllLines(file);
        Set<String> sessions = new HashSet<>();
        for (String line : lines) {
            sessions.add(JSON.readTree(line).get("session").asText());
        }
        assertThat(w.dropped()).isZero();
        assertThat(w.written()).isEqualTo(threads * perThread);
        assertThat(sessions).hasSize(threads * perThread);
    }

    @Test
    void fullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingStream slowDisk = new BlockingStream(release);
        JsonLinesEventWriter w = new JsonLinesEventWriter(slowDisk, 10, "slow");
        try {
            for (int i = 0; i < 1000; i++) {
                w.onReply(Events.at("s" + i, Stage.RCPT, 250)); // returns at once even though the disk is stuck
            }
            // the stuck writer thread holds at most one batch (what the queue held), the queue 10 more
            assertThat(w.dropped()).isGreaterThanOrEqualTo(1000 - 2 * 10 - 1);
        } finally {
            release.countDown();
            w.close();
        }
        assertThat(w.written() + w.dropped()).isEqualTo(1000);
        w.onReply(Events.at("late", Stage.RCPT, 250));
        assertThat(w.written() + w.dropped()).isEqualTo(1001);
    }

    @Test
    void failingOutputIsCountedNotThrown() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        JsonLinesEventWriter w = new JsonLinesEventWriter(broken, 100, "broken");
        for (int i = 0; i < 5; i++) {
            w.onReply(Events.at("s" + i, Stage.RCPT, 250));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (w.dropped() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(w.dropped()).isEqualTo(5);
        assertThat(w.written()).isZero();
        try {
            w.close();
        } catch (IOException expected) {
            // closing a broken stream may report the same failure again
        }
    }

    /** An output whose first write blocks until released: a disk that cannot keep up. */
    private static final class BlockingStream extends OutputStream {
        private final CountDownLatch release;

        BlockingStream(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
    }
}
