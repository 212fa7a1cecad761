package dev.bouncewatch.agent.source;

import static dev.bouncewatch.agent.source.TestLogs.append;
import static dev.bouncewatch.agent.source.TestLogs.appendRaw;
import static dev.bouncewatch.agent.source.TestLogs.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a line is: framing on LF only, bad bytes, endless lines, batches and their positions, health. */
class FileSourceLinesTest {

    @TempDir
    Path dir;

    private FileSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
    }

    private RecordingListener start(Path log, FileSourceOptions options) {
        return start(log, options, new RecordingListener());
    }

    private <L extends SourceListener> L start(Path log, FileSourceOptions options, L listener) {
        source = new FileSource(log, options);
        source.start(null, listener);
        return listener;
    }

    @Test
    void aBareCarriageReturnDoesNotSplitALine() {
        Path log = dir.resolve("mail.log");
        appendRaw(log, "before\rafter\nwindows line\r\nthree\r\r\n\rleading\n".getBytes(StandardCharsets.US_ASCII));
        RecordingListener listener = start(log, TestLogs.FAST);
        listener.awaitExactly(List.of("before after", "windows line", "three ", " leading"));
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        Path log = dir.resolve("mail.log");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("to=<j\u00fcrgen@b\u00fccher.de> ok \u2713\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, ' ', 'e', 'n', 'd', '\n'});
        bytes.writeBytes(new byte[] {'l', 'a', 't', 'i', 'n', '1', ' ', (byte) 0xe9, '\n'});
        appendRaw(log, bytes.toByteArray());

        RecordingListener listener = start(log, TestLogs.FAST);
        listener.awaitExactly(List.of("to=<j\u00fcrgen@b\u00fccher.de> ok \u2713", "bad \ufffd\ufffd end", "latin1 \ufffd"));
    }

    @Test
    void aHugeLineIsCutAndCountedAndTheNextLineIsIntact() {
        Path log = dir.resolve("mail.log");
        byte[] huge = new byte[8 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'x');
        appendRaw(log, "start ".getBytes(StandardCharsets.US_ASCII));
        appendRaw(log, huge);
        appendRaw(log, "\nnext line\n".getBytes(StandardCharsets.US_ASCII));

        RecordingListener listener = start(log, TestLogs.FAST.withMaxLineBytes(1024));
        List<String> lines = listener.awaitLines(2);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("start xxx").hasSize(1024);
        assertThat(lines.get(1)).isEqualTo("next line");
        assertThat(source.linesCut()).isEqualTo(1);
    }

    @Test
    void aCutLineEndsOnACharacterBoundary() {
        Path log = dir.resolve("mail.log");
        append(log, "\u00e9".repeat(40), "after");
        RecordingListener listener = start(log, TestLogs.FAST.withMaxLineBytes(25));
        listener.awaitExactly(List.of("\u00e9".repeat(12), "after"));
    }

    @Test
    void anEndlessLineWithoutLineFeedDoesNotExhaustMemory() {
        Path log = dir.resolve("mail.log");
        RecordingListener listener = start(log, TestLogs.FAST.withMaxLineBytes(4096));
        byte[] chunk = new byte[1024 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'y');
        for (int i = 0; i < 64; i++) {
            appendRaw(log, chunk);
        }
        appendRaw(log, "\nafter\n".getBytes(StandardCharsets.US_ASCII));
        List<String> lines = listener.awaitLines(2);
        assertThat(lines.get(0)).hasSize(4096).matches("y+");
        assertThat(lines.get(1)).isEqualTo("after");
    }

    @Test
    void batchesAreBoundedAndTheirPositionsAddUpToTheFile() throws Exception {
        Path log = dir.resolve("mail.log");
        List<String> lines = numbered("line ", 1, 5000);
        append(log, lines);
        RecordingListener listener = start(log, TestLogs.FAST.withMaxBatchLines(700));
        listener.awaitExactly(lines);

        long previous = 0;
        long readBytes = 0;
        for (SourceBatch batch : listener.batches()) {
            assertThat(batch.lines()).hasSizeLessThanOrEqualTo(700);
            assertThat(batch.sourceId()).isEqualTo(source.id());
            long offset = FilePosition.parse(batch.position()).offset();
            assertThat(offset).isGreaterThan(previous);
            assertThat(batch.readBytes()).isEqualTo(offset - previous);
            previous = offset;
            readBytes += batch.readBytes();
        }
        assertThat(readBytes).isEqualTo(Files.size(log));
    }

    @Test
    void aSlowListenerHoldsTheReaderBack() {
        Path log = dir.resolve("mail.log");
        List<String> lines = numbered("line ", 1, 300);
        append(log, lines);
        RecordingListener slow = new RecordingListener() {
            @Override
            public void onBatch(SourceBatch batch) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onBatch(batch);
            }
        };
        start(log, TestLogs.FAST.withMaxBatchLines(25), slow);
        slow.awaitExactly(lines);
        assertThat(slow.batches()).allSatisfy(batch -> assertThat(batch.lines()).hasSizeLessThanOrEqualTo(25));
    }

    @Test
    void healthShowsLinesLagAndState() {
        Path log = dir.resolve("mail.log");
        append(log, numbered("line ", 1, 10));
        RecordingListener listener = start(log, TestLogs.FAST);
        listener.awaitLines(10);
        RecordingListener.await(() -> Long.valueOf(0).equals(source.health().lagBytes()), "lag 0");

        SourceHealth health = source.health();
        assertThat(health.id()).isEqualTo("file:" + log.toAbsolutePath());
        assertThat(health.type()).isEqualTo("file");
        assertThat(health.target()).isEqualTo(log.toAbsolutePath().toString());
        assertThat(health.state()).isEqualTo(SourceHealth.State.RUNNING);
        assertThat(health.linesRead()).isEqualTo(10);
        assertThat(health.lastReadAt()).isNotNull();
        assertThat(health.errors()).isZero();
        assertThat(health.lastError()).isNull();

        source.close();
        assertThat(source.health().state()).isEqualTo(SourceHealth.State.STOPPED);
    }

    @Test
    void aFailedTailerIsRestartedFromTheLastDeliveredBatch() {
        Path log = dir.resolve("mail.log");
        List<String> lines = numbered("line ", 1, 100);
        append(log, lines);
        AtomicBoolean failedOnce = new AtomicBoolean();
        RecordingListener flaky = new RecordingListener() {
            @Override
            public void onBatch(SourceBatch batch) {
                if (lines().size() >= 30 && failedOnce.compareAndSet(false, true)) {
                    throw new IllegalStateException("pipeline hiccup");
                }
                super.onBatch(batch);
            }
        };
        start(log, TestLogs.FAST.withMaxBatchLines(10), flaky);
        flaky.awaitExactly(lines);

        assertThat(failedOnce).isTrue();
        assertThat(source.health().errors()).isGreaterThanOrEqualTo(1);
        assertThat(source.health().lastError()).contains("pipeline hiccup");
        RecordingListener.await(() -> source.health().state() == SourceHealth.State.RUNNING, "RUNNING again");
    }

    @Test
    void nothingIsHandedOverAfterClose() throws Exception {
        Path log = dir.resolve("mail.log");
        append(log, "one");
        RecordingListener listener = start(log, TestLogs.FAST);
        listener.awaitExactly(List.of("one"));
        source.close();
        append(log, "two");
        Thread.sleep(200);
        assertThat(listener.lines()).containsExactly("one");
    }

    @Test
    void closeReturnsWhileTheListenerIsBlocked() {
        Path log = dir.resolve("mail.log");
        append(log, "one");
        AtomicBoolean entered = new AtomicBoolean();
        SourceListener blocking = batch -> {
            entered.set(true);
            Thread.sleep(Long.MAX_VALUE);
        };
        start(log, TestLogs.FAST, blocking);
        RecordingListener.await(entered::get, "the listener to be called");
        source.close();
        assertThat(source.health().state()).isEqualTo(SourceHealth.State.STOPPED);
        assertThat(source.health().errors()).isZero();
    }

    @Test
    void startingTwiceIsAnError() {
        Path log = dir.resolve("mail.log");
        start(log, TestLogs.FAST);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.start(null, new RecordingListener()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnreadablePathFailsAndIsRetriedUntilItWorks() throws Exception {
        Path log = dir.resolve("mail.log");
        Files.createDirectory(log);
        RecordingListener listener = start(log, TestLogs.FAST);
        RecordingListener.await(() -> source.health().state() == SourceHealth.State.FAILING, "state FAILING");
        assertThat(source.health().errors()).isGreaterThanOrEqualTo(1);
        assertThat(source.health().lastError()).contains(log.toString());

        Files.delete(log);
        append(log, "finally a file");
        listener.awaitExactly(List.of("finally a file"));
        RecordingListener.await(() -> source.health().state() == SourceHealth.State.RUNNING, "state RUNNING");
    }
}
