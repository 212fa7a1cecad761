package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer appends numbered lines at a steady rate while the file is rotated again and again (create
 * with late writes before the writer reopens, and copytruncate) and the source is stopped and started
 * again from the last batch it handed over; in the end every number was handed over exactly once, in
 * order.
 */
class FileSourceStressTest {

    private static final int ROTATIONS = 24;
    private static final int KEEP = 5;

    @TempDir
    Path dir;

    private Path log;
    private FileSource source;
    private NumberedWriter writer;

    @AfterEach
    void stop() throws Exception {
        if (writer != null) {
            writer.stop();
        }
        if (source != null) {
            source.close();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyLineExactlyOnceAcrossRotationsAndRestarts() throws Exception {
        log = dir.resolve("mail.log");
        FileSourceOptions options = TestLogs.FAST.withPollInterval(Duration.ofMillis(30)).withMaxBatchLines(50);
        RecordingListener listener = new RecordingListener();
        writer = new NumberedWriter(log);
        writer.start();
        source = new FileSource(log, options);
        source.start(null, listener);
        Random random = new Random(42);
        int restarts = 0;

        int writtenBeforeCurrentFile = 0;
        for (int rotation = 1; rotation <= ROTATIONS; rotation++) {
            // rotations are daily in real life: the source must have seen a line of the current file
            // before it is rotated again, else a copytruncate of a file never seen non-empty is undetectable
            listener.awaitLines(writtenBeforeCurrentFile + 1);
            Thread.sleep(20 + random.nextInt(120));
            if (rotation % 2 == 0) {
                rotateByCreate(random);
            } else {
                rotateByCopytruncate();
            }
            writtenBeforeCurrentFile = writer.written();
            if (rotation % 5 == 0) {
                source.close();
                Thread.sleep(random.nextInt(50));
                source = new FileSource(log, options);
                source.start(listener.lastPosition(), listener);
                restarts++;
            }
        }
        int total = writer.stop();

        List<String> expected = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            expected.add(NumberedWriter.line(i));
        }
        listener.awaitLines(total);
        Thread.sleep(300);
        List<String> lines = listener.lines();
        assertThat(lines).hasSize(total);
        assertThat(lines).containsExactlyElementsOf(expected);
        assertThat(restarts).isGreaterThanOrEqualTo(4);
        assertThat(total).isGreaterThan(ROTATIONS * 10);
        assertThat(source.health().errors()).isZero();
    }

    /** logrotate {@code create} + rsyslog: rename, the writer goes on in the old file until its HUP, then reopens. */
    private void rotateByCreate(Random random) throws Exception {
        shiftRotated();
        Files.move(log, dir.resolve("mail.log.1"));
        Thread.sleep(random.nextInt(30));
        Files.createFile(log);
        writer.reopen();
    }

    /** logrotate {@code copytruncate}, with the writer paused so logrotate's own loss window stays shut. */
    private void rotateByCopytruncate() throws Exception {
        writer.pause();
        try {
            shiftRotated();
            TestLogs.copyTruncate(log, dir.resolve("mail.log.1"));
        } finally {
            writer.resume();
        }
    }

    private void shiftRotated() throws IOException {
        for (int i = KEEP - 1; i >= 1; i--) {
            Path from = dir.resolve("mail.log." + i);
            if (Files.exists(from)) {
                Files.move(from, dir.resolve("mail.log." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Appends {@code line(0)}, {@code line(1)} ... about one per millisecond, each in one write. */
    private static final class NumberedWriter {

        private final Path path;
        private final ReentrantLock lock = new ReentrantLock();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int written;
        private OutputStream out;

        NumberedWriter(Path path) throws IOException {
            this.path = path;
            this.out = new FileOutputStream(path.toFile(), true);
            this.thread = new Thread(this::writeLines, "numbered-writer");
        }

        static String line(int number) {
            return String.format("Nov 29 10:15:00 mx postfix/smtp[4242]: n=%07d to=<user%d@example.org>, status=sent",
                    number, number);
        }

        void start() {
            thread.start();
        }

        int written() {
            return written;
        }

        private void writeLines() {
            try {
                while (running) {
                    lock.lock();
                    try {
                        out.write((line(written) + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        written++;
                    } finally {
                        lock.unlock();
                    }
                    Thread.sleep(1);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void pause() {
            lock.lock();
        }

        void resume() {
            lock.unlock();
        }

        /** rsyslog after its HUP: close the renamed file, open the path again. */
        void reopen() throws IOException {
            lock.lock();
            try {
                out.close();
                out = new FileOutputStream(path.toFile(), true);
            } finally {
                lock.unlock();
            }
        }

        /** Stops writing; returns how many lines were written. */
        int stop() throws Exception {
            running = false;
            thread.join();
            lock.lock();
            try {
                out.close();
            } finally {
                lock.unlock();
            }
            return written;
        }
    }
}
