package dev.bouncewatch.agent.source;

import static dev.bouncewatch.agent.source.TestLogs.append;
import static dev.bouncewatch.agent.source.TestLogs.appendRaw;
import static dev.bouncewatch.agent.source.TestLogs.concat;
import static dev.bouncewatch.agent.source.TestLogs.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source started with the position of the last batch an earlier one handed over continues at the
 * next line: in the same file, or in wherever the file went while the agent was stopped.
 */
class FileSourceRestartTest {

    @TempDir
    Path dir;

    private Path log;
    private FileSource source;

    @BeforeEach
    void paths() {
        log = dir.resolve("mail.log");
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
    }

    /** Runs a source until it has handed over {@code expected}, stops it and returns its last position. */
    private String readThenStop(String position, List<String> expected) {
        RecordingListener listener = new RecordingListener();
        FileSource first = new FileSource(log, TestLogs.FAST);
        first.start(position, listener);
        listener.awaitExactly(expected);
        first.close();
        assertThat(first.health().state()).isEqualTo(SourceHealth.State.STOPPED);
        return listener.lastPosition();
    }

    private RecordingListener restart(String position) {
        RecordingListener listener = new RecordingListener();
        source = new FileSource(log, TestLogs.FAST);
        source.start(position, listener);
        return listener;
    }

    @Test
    void sameFileContinuesAtTheStoredByte() throws Exception {
        List<String> first = numbered("a", 1, 3);
        append(log, first);
        String position = readThenStop(null, first);
        assertThat(FilePosition.parse(position).offset()).isEqualTo(Files.size(log));

        append(log, "a4", "a5");
        RecordingListener listener = restart(position);
        listener.awaitExactly(List.of("a4", "a5"));
        Thread.sleep(200);
        assertThat(listener.lines()).containsExactly("a4", "a5");
    }

    @Test
    void rotatedWhileStoppedDrainsTheRotatedFileFirst() throws Exception {
        append(log, numbered("a", 1, 3));
        String position = readThenStop(null, numbered("a", 1, 3));

        append(log, "a4 written after the stop");
        Files.move(log, dir.resolve("mail.log.1"));
        append(log, "b1");

        restart(position).awaitExactly(List.of("a4 written after the stop", "b1"));
    }

    @Test
    void rotatedAndCompressedWhileStoppedReadsTheGzipFromTheStoredOffset() throws Exception {
        append(log, numbered("a", 1, 50));
        String position = readThenStop(null, numbered("a", 1, 50));

        append(log, "a51", "a52");
        Files.move(log, dir.resolve("mail.log-20261129"));
        TestLogs.gzip(dir.resolve("mail.log-20261129"));
        append(log, "b1");

        restart(position).awaitExactly(List.of("a51", "a52", "b1"));
    }

    @Test
    void rotatedTwiceWhileStoppedReadsEveryFileInBetween() throws Exception {
        append(log, numbered("a", 1, 3));
        String position = readThenStop(null, numbered("a", 1, 3));

        append(log, "a4");
        Files.move(log, dir.resolve("mail.log.1"));
        append(log, "b1", "b2");
        // next rotation with delaycompress: .1 becomes .2.gz, the live file becomes .1
        Files.move(dir.resolve("mail.log.1"), dir.resolve("mail.log.2"));
        TestLogs.gzip(dir.resolve("mail.log.2"));
        Files.move(log, dir.resolve("mail.log.1"));
        append(log, "c1");

        restart(position).awaitExactly(List.of("a4", "b1", "b2", "c1"));
    }

    @Test
    void copytruncatedWhileStoppedReadsTheRestFromTheCopy() throws Exception {
        append(log, numbered("a", 1, 3));
        String position = readThenStop(null, numbered("a", 1, 3));

        append(log, "a4");
        TestLogs.copyTruncate(log, dir.resolve("mail.log.1"));
        append(log, numbered("b", 1, 40));

        restart(position).awaitExactly(concat(List.of("a4"), numbered("b", 1, 40)));
    }

    @Test
    void replacedFileWithOtherFirstBytesIsReadFromItsStart() throws Exception {
        append(log, numbered("a", 1, 10));
        String position = readThenStop(null, numbered("a", 1, 10));

        // rewritten in place (same inode), longer than the stored offset, and no copy anywhere
        Files.writeString(log, String.join("\n", numbered("z", 1, 30)) + "\n", StandardOpenOption.TRUNCATE_EXISTING);

        restart(position).awaitExactly(numbered("z", 1, 30));
    }

    @Test
    void deletedAndRecreatedFileIsReadFromItsStart() throws Exception {
        append(log, numbered("a", 1, 3));
        String position = readThenStop(null, numbered("a", 1, 3));

        Files.delete(log);
        append(log, "z1", "z2");

        restart(position).awaitExactly(List.of("z1", "z2"));
    }

    @Test
    void unreadablePositionReadsASmallFileFromItsStart() {
        append(log, "s1", "s2");
        restart("not a position at all").awaitExactly(List.of("s1", "s2"));
    }

    @Test
    void unreadablePositionReadsALargeFileFromItsEnd() {
        append(log, numbered("old", 1, 20));
        appendRaw(log, "half a line".getBytes(StandardCharsets.UTF_8));
        RecordingListener listener = new RecordingListener();
        source = new FileSource(log, TestLogs.FAST.withSmallFileBytes(100));
        source.start("file/1 offset=12 head=zz:nothex key=-", listener);
        RecordingListener.await(() -> source.health().lagBytes() != null, "the first look at the file");

        append(log, " and its end", "new 1");
        listener.awaitExactly(List.of("new 1"));
    }

    @Test
    void positionOfAnEmptyNewFileAfterARotationResumesThere() throws Exception {
        append(log, "a1");
        RecordingListener listener = new RecordingListener();
        FileSource first = new FileSource(log, TestLogs.FAST);
        first.start(null, listener);
        listener.awaitExactly(List.of("a1"));
        Files.move(log, dir.resolve("mail.log.1"));
        Files.createFile(log);
        // the checkpoint moves to the new file once the old one is finished, even before it has a line
        RecordingListener.await(() -> FilePosition.parse(listener.lastPosition()).offset() == 0, "a move to the new file");
        first.close();
        Files.delete(dir.resolve("mail.log.1"));

        append(log, "b1");
        restart(listener.lastPosition()).awaitExactly(List.of("b1"));
        assertThat(source.health().errors()).isZero();
    }
}
