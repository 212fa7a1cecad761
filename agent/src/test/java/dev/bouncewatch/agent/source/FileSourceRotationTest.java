package dev.bouncewatch.agent.source;

import static dev.bouncewatch.agent.source.TestLogs.append;
import static dev.bouncewatch.agent.source.TestLogs.appendRaw;
import static dev.bouncewatch.agent.source.TestLogs.concat;
import static dev.bouncewatch.agent.source.TestLogs.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rotation case of log-formats.md section 8.1, where commons-io's Tailer alone loses, repeats
 * or dies: here each must hand over every line exactly once, in order.
 */
class FileSourceRotationTest {

    @TempDir
    Path dir;

    private FileSource source;
    private final RecordingListener listener = new RecordingListener();

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
    }

    private Path startOn(String name, FileSourceOptions options) {
        Path log = dir.resolve(name);
        source = new FileSource(log, options);
        source.start(null, listener);
        return log;
    }

    /** Writes {@code lines} to {@code name}, starts the source on it and waits until it has handed them over. */
    private Path startAfter(String name, FileSourceOptions options, List<String> lines) {
        Path log = dir.resolve(name);
        append(log, lines);
        startOn(name, options);
        listener.awaitExactly(lines);
        return log;
    }

    @Test
    void createRotationWithANewFileSmallerThanTheOldOffset() throws Exception {
        List<String> old = numbered("old ", 1, 20);
        Path log = startAfter("mail.log", TestLogs.FAST, old);

        Files.move(log, dir.resolve("mail.log.1"));
        append(dir.resolve("mail.log.1"), "old late write before rsyslog's HUP");
        append(log, "new 1");

        listener.awaitExactly(concat(old, List.of("old late write before rsyslog's HUP", "new 1")));
        append(log, "new 2");
        listener.awaitExactly(concat(old, List.of("old late write before rsyslog's HUP", "new 1", "new 2")));
    }

    @Test
    void createRotationWithANewFileAlreadyLargerThanTheOldOffset() throws Exception {
        // a long poll interval makes the new file outgrow the old offset before the next look
        FileSourceOptions slow = TestLogs.FAST.withPollInterval(Duration.ofMillis(400));
        List<String> old = numbered("old ", 1, 3);
        Path log = startAfter("mail.log", slow, old);

        Files.move(log, dir.resolve("mail.log.1"));
        List<String> fresh = numbered("new ", 1, 200);
        append(log, fresh);
        append(dir.resolve("mail.log.1"), "old 4 written late");

        listener.awaitExactly(concat(old, List.of("old 4 written late"), fresh));
    }

    @Test
    void twoCreateRotationsBetweenTwoLooksReadTheFileInBetweenToo() throws Exception {
        // the source looks once a second; both rotations happen in between (a stalled or busy agent)
        FileSourceOptions slow = TestLogs.FAST.withPollInterval(Duration.ofMillis(1000));
        List<String> old = numbered("old ", 1, 3);
        Path log = startAfter("mail.log", slow, old);

        Files.move(log, dir.resolve("mail.log.1"));
        List<String> second = numbered("second ", 1, 50);
        append(log, second);
        Files.move(dir.resolve("mail.log.1"), dir.resolve("mail.log.2"));
        Files.move(log, dir.resolve("mail.log.1"));
        List<String> third = numbered("third ", 1, 50);
        append(log, third);

        listener.awaitExactly(concat(old, second, third));
    }

    @Test
    void aCreateThenACopytruncateBetweenTwoLooksReadTheCopyToo() throws Exception {
        FileSourceOptions slow = TestLogs.FAST.withPollInterval(Duration.ofMillis(1000));
        List<String> old = numbered("old ", 1, 3);
        Path log = startAfter("mail.log", slow, old);

        Files.move(log, dir.resolve("mail.log.1"));
        List<String> second = numbered("second ", 1, 50);
        append(log, second);
        Files.move(dir.resolve("mail.log.1"), dir.resolve("mail.log.2"));
        TestLogs.copyTruncate(log, dir.resolve("mail.log.1"));
        List<String> third = numbered("third ", 1, 50);
        append(log, third);

        listener.awaitExactly(concat(old, second, third));
    }

    @Test
    void newFileOfExactlyTheOldSizeWithANewerMtime() throws Exception {
        Path log = startAfter("mail.log", TestLogs.FAST, List.of("old line A", "old line B"));

        long size = Files.size(log);
        Files.move(log, dir.resolve("mail.log.1"));
        append(log, "new line C", "new line D");
        assertThat(Files.size(log)).isEqualTo(size);
        Files.setLastModifiedTime(log, FileTime.from(Instant.now().plusSeconds(5)));

        listener.awaitExactly(List.of("old line A", "old line B", "new line C", "new line D"));
    }

    @Test
    void copytruncateRefilledBelowTheOldOffset() throws Exception {
        FileSourceOptions slow = TestLogs.FAST.withPollInterval(Duration.ofMillis(300));
        List<String> first = numbered("gen1 ", 1, 30);
        Path log = startAfter("mail.log", slow, first);

        // lines the source has most likely not read yet: they survive only in logrotate's copy
        List<String> unread = numbered("gen1 ", 31, 33);
        append(log, unread);
        TestLogs.copyTruncate(log, dir.resolve("mail.log.1"));
        append(log, "gen2 1");

        listener.awaitExactly(concat(first, unread, List.of("gen2 1")));
        append(log, "gen2 2");
        listener.awaitExactly(concat(first, unread, List.of("gen2 1", "gen2 2")));
    }

    @Test
    void copytruncateRefilledAboveTheOldOffset() throws Exception {
        FileSourceOptions slow = TestLogs.FAST.withPollInterval(Duration.ofMillis(300));
        List<String> first = numbered("gen1 ", 1, 10);
        Path log = startAfter("mail.log", slow, first);

        List<String> unread = numbered("gen1 ", 11, 12);
        append(log, unread);
        TestLogs.copyTruncate(log, dir.resolve("mail.log.1"));
        List<String> second = numbered("gen2 ", 1, 100);
        append(log, second);

        listener.awaitExactly(concat(first, unread, second));
        assertThat(listener.lines()).noneMatch(line -> !line.startsWith("gen"));
    }

    @Test
    void copytruncateWithCompressionWithoutDelaycompress() throws Exception {
        FileSourceOptions slow = TestLogs.FAST.withPollInterval(Duration.ofMillis(300));
        List<String> first = numbered("gen1 ", 1, 10);
        Path log = startAfter("mail.log", slow, first);

        List<String> unread = numbered("gen1 ", 11, 14);
        append(log, unread);
        TestLogs.copyTruncate(log, dir.resolve("mail.log.1"));
        TestLogs.gzip(dir.resolve("mail.log.1"));
        append(log, "gen2 1");

        listener.awaitExactly(concat(first, unread, List.of("gen2 1")));
    }

    @Test
    void postfixLogrotateLeavesThePathMissingForAWhile() throws Exception {
        List<String> before = numbered("before ", 1, 5);
        Path log = startAfter("maillog", TestLogs.FAST, before);

        // postfix-script: mv maillog maillog.YYYYMMDD-HHMMSS; postlogd may still write to it; sleep 1; gzip it
        Path renamed = dir.resolve("maillog.20261129-101500");
        Files.move(log, renamed);
        append(renamed, "written by postlogd before its reload");
        RecordingListener.await(() -> source.health().state() == SourceHealth.State.WAITING, "state WAITING");
        Thread.sleep(1000);
        TestLogs.gzip(renamed);
        Thread.sleep(300);
        assertThat(source.health().state()).isEqualTo(SourceHealth.State.WAITING);

        // no new file until postlogd logs the next event
        append(log, "after 1");
        listener.awaitExactly(concat(before, List.of("written by postlogd before its reload", "after 1")));
        RecordingListener.await(() -> source.health().state() == SourceHealth.State.RUNNING, "state RUNNING");
        assertThat(source.health().errors()).isZero();
    }

    @Test
    void touchWithoutChangeReplaysNothing() throws Exception {
        List<String> lines = numbered("line ", 1, 5);
        Path log = startAfter("mail.log", TestLogs.FAST, lines);

        Files.setLastModifiedTime(log, FileTime.from(Instant.now().plusSeconds(60)));
        Thread.sleep(300);
        assertThat(listener.lines()).containsExactlyElementsOf(lines);

        append(log, "line 6");
        listener.awaitExactly(concat(lines, List.of("line 6")));
    }

    @Test
    void unterminatedLastLineIsHandedOverWhenTheRotatedFileIsFinished() throws Exception {
        Path log = dir.resolve("mail.log");
        append(log, "complete 1");
        appendRaw(log, "cut off by a crash".getBytes(StandardCharsets.UTF_8));
        startOn("mail.log", TestLogs.FAST);
        listener.awaitExactly(List.of("complete 1"));
        Thread.sleep(300);
        assertThat(listener.lines()).containsExactly("complete 1");

        Files.move(log, dir.resolve("mail.log.1"));
        append(log, "new 1");

        listener.awaitExactly(List.of("complete 1", "cut off by a crash", "new 1"));
    }

    @Test
    void aLineIsHandedOverOnlyOnceItsLineFeedIsWritten() throws Exception {
        Path log = dir.resolve("mail.log");
        startOn("mail.log", TestLogs.FAST);
        appendRaw(log, "first half ".getBytes(StandardCharsets.UTF_8));
        Thread.sleep(200);
        assertThat(listener.lines()).isEmpty();

        appendRaw(log, "second half\nnext".getBytes(StandardCharsets.UTF_8));
        listener.awaitExactly(List.of("first half second half"));
        appendRaw(log, "\n".getBytes(StandardCharsets.UTF_8));
        listener.awaitExactly(List.of("first half second half", "next"));
    }

    @Test
    void delaycompressRotationsTwiceInARow() throws Exception {
        List<String> first = numbered("first ", 1, 5);
        Path log = startAfter("mail.log", TestLogs.FAST, first);

        // delaycompress: mail.log.1 stays plain until the next rotation compresses it into .2.gz
        Files.move(log, dir.resolve("mail.log.1"));
        List<String> second = numbered("second ", 1, 5);
        append(log, second);
        listener.awaitExactly(concat(first, second));

        Files.move(dir.resolve("mail.log.1"), dir.resolve("mail.log.2"));
        TestLogs.gzip(dir.resolve("mail.log.2"));
        Files.move(log, dir.resolve("mail.log.1"));
        List<String> third = numbered("third ", 1, 5);
        append(log, third);

        listener.awaitExactly(concat(first, second, third));
    }

    @Test
    void fileThatAppearsOnlyLater() throws Exception {
        Path log = startOn("mail.log", TestLogs.FAST);
        RecordingListener.await(() -> source.health().state() == SourceHealth.State.WAITING, "state WAITING");
        Thread.sleep(100);
        assertThat(listener.lines()).isEmpty();

        append(log, "first line", "second line");
        listener.awaitExactly(List.of("first line", "second line"));
        assertThat(source.health().state()).isEqualTo(SourceHealth.State.RUNNING);
    }

    @Test
    void rotationWhileThePathIsBrieflyMissingBetweenRenameAndCreate() throws Exception {
        List<String> old = numbered("old ", 1, 5);
        Path log = startAfter("mail.log", TestLogs.FAST, old);

        Files.move(log, dir.resolve("mail.log.1"));
        Thread.sleep(150);
        append(dir.resolve("mail.log.1"), "old 6");
        append(log, "new 1");

        listener.awaitExactly(concat(old, List.of("old 6", "new 1")));
    }

    @Test
    void copytruncateOfTheNewFileWhileTheOldOneIsStillBeingFinished() throws Exception {
        FileSourceOptions patient = TestLogs.FAST.withRotationQuietPeriod(Duration.ofSeconds(2));
        List<String> first = numbered("gen1 ", 1, 5);
        Path log = startAfter("mail.log", patient, first);

        Files.move(log, dir.resolve("mail.log.1"));
        List<String> second = numbered("gen2 ", 1, 5);
        append(log, second);
        Thread.sleep(300); // the source has seen the new file, but waits for the old one to stay quiet
        assertThat(listener.lines()).containsExactlyElementsOf(first);
        Files.move(dir.resolve("mail.log.1"), dir.resolve("mail.log.2"));
        TestLogs.copyTruncate(log, dir.resolve("mail.log.1"));
        List<String> third = numbered("gen3 ", 1, 5);
        append(log, third);

        listener.awaitExactly(concat(first, second, third));
    }

    @Test
    void aRotatedFileIsReadUntilItHasStayedQuiet() throws Exception {
        FileSourceOptions patient = TestLogs.FAST.withRotationQuietPeriod(Duration.ofSeconds(1));
        Path log = startAfter("mail.log", patient, List.of("old 1"));

        Files.move(log, dir.resolve("mail.log.1"));
        append(log, "new 1");
        Thread.sleep(400); // the writer has not reopened yet: rsyslog before its HUP
        append(dir.resolve("mail.log.1"), "old 2");

        listener.awaitExactly(List.of("old 1", "old 2", "new 1"));
    }
}
