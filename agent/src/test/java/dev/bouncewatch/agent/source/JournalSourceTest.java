package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.agent.config.SourceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal source against a real child process: a script standing in for journalctl that prints
 * entries in journalctl's JSON shapes, records its arguments and exits or keeps following.
 */
@Timeout(120)
class JournalSourceTest {

    private static final Backoff.Settings QUICK = new Backoff.Settings(Duration.ofMillis(20), Duration.ofMillis(80),
            Duration.ofMinutes(1));

    private static final String MACHINE_ID = "3d1219c7c4c5404aaa1f6d2a48adfda4";

    @TempDir
    Path dir;

    private FakeJournalctl journalctl;
    private List<String> entries;
    private final CollectingListener listener = new CollectingListener();
    private JournalSource source;

    @BeforeEach
    void setUp() throws IOException {
        journalctl = new FakeJournalctl(dir);
        entries = JournalEntryFormatterTest.fixture();
    }

    @AfterEach
    void tearDown() {
        if (source != null) {
            source.close();
        }
    }

    private JournalSource source(SourceConfig.Journal config, JournalSource.Settings settings) {
        source = new JournalSource(config, settings);
        return source;
    }

    private JournalSource source() {
        return source(new SourceConfig.Journal(null, null, journalctl.command(), null),
                new JournalSource.Settings(QUICK, 1 << 20, 512, Clock.systemUTC(), MACHINE_ID));
    }

    private static String cursorOf(String json) throws IOException {
        return new ObjectMapper().readTree(json).get("__CURSOR").asText();
    }

    @Test
    void aFirstStartFollowsFromNowAndHandsOverEveryMessageShape() throws Exception {
        journalctl.stdout(1, entries);
        JournalSource s = source();
        s.start(null, listener);

        Await.until("3 lines", () -> listener.lines().size() == 3 && cursorOfLast().contains(";i=5;"), listener::lines);
        assertThat(journalctl.args(1)).containsSubsequence("--output=json", "--all", "--no-pager", "--follow", "--merge",
                "--lines=0", "_SYSTEMD_UNIT=postfix@-.service", "_MACHINE_ID=" + MACHINE_ID, "+", "SYSLOG_FACILITY=2",
                "_MACHINE_ID=" + MACHINE_ID);
        List<String> lines = listener.lines();
        assertThat(lines.get(0)).startsWith("2023-11-14T22:13:20.123371Z mail postfix/smtp[2314]: 4SXk2N1mZ8z9vWq: to=<nobody@example.org>");
        assertThat(lines.get(1)).contains("Postfach voll f\uFFFDr kunde");
        assertThat(lines.get(2)).endsWith("postfix/qmgr[1201]: 4SXk2N1mZ8z9vWq: removed (second value)");
        // the two entries without a message still move the position on
        assertThat(listener.lastPosition()).isEqualTo(cursorOf(entries.get(4)));
        assertThat(listener.batches()).allSatisfy(b -> {
            assertThat(b.sourceId()).isEqualTo("journal:system");
            assertThat(b.results()).isEmpty();
        });
        assertThat(s.entriesWithoutMessage()).isEqualTo(2);
        assertThat(s.badEntries()).isZero();
        SourceHealth health = s.health();
        assertThat(health.state()).isEqualTo(SourceHealth.State.RUNNING);
        assertThat(health.type()).isEqualTo("journal");
        assertThat(health.linesRead()).isEqualTo(3);
        assertThat(health.lastReadAt()).isNotNull();
        assertThat(health.errors()).isZero();
        assertThat(health.lagBytes()).isNull();
    }

    private String cursorOfLast() {
        return Optional.ofNullable(listener.lastPosition()).orElse("");
    }

    @Test
    void aStoredCursorIsResumedAfterWithoutTheTenLineTail() throws Exception {
        String stored = cursorOf(entries.get(1));
        journalctl.stdout(1, entries.subList(2, 3));
        source().start(stored, listener);

        Await.until("the entry after the cursor", () -> listener.lines().size() == 1);
        assertThat(journalctl.args(1)).contains("--after-cursor=" + stored, "--no-tail").doesNotContain("--lines=0");
        assertThat(listener.lastPosition()).isEqualTo(cursorOf(entries.get(2)));
    }

    @Test
    void aStoredPositionThatIsNoCursorIsReportedAndReadingStartsFromNow() throws Exception {
        JournalSource s = source();
        s.start("/var/log/mail.log:1234", listener);

        Await.until("journalctl started", () -> journalctl.started(1));
        assertThat(journalctl.args(1)).contains("--lines=0").noneMatch(a -> a.startsWith("--after-cursor"));
        assertThat(s.health().errors()).isEqualTo(1);
        assertThat(s.health().lastError()).contains("not a journal cursor");
    }

    @Test
    void aChildThatExitsIsRestartedAfterTheLastCursorHandedOver() throws Exception {
        journalctl.stdout(1, entries.subList(0, 2)).stderr(1, "Failed to iterate through journal: Bad message").exit(1, 1)
                .stdout(2, entries.subList(2, 3));
        JournalSource s = source();
        s.start(null, listener);

        Await.until("lines of both runs", () -> listener.lines().size() == 3, listener::lines);
        assertThat(journalctl.args(2)).contains("--after-cursor=" + cursorOf(entries.get(1)), "--no-tail")
                .doesNotContain("--lines=0");
        assertThat(s.childStarts()).isEqualTo(2);
        assertThat(listener.lines().get(2)).endsWith("removed (second value)");
        Await.until("running again", () -> s.health().state() == SourceHealth.State.RUNNING);
        assertThat(s.health().errors()).isEqualTo(1);
        assertThat(s.health().lastError()).contains("exited with code 1").contains("Bad message");
    }

    @Test
    void aChildThatDiesBeforeAnyEntryIsRestartedFromWhenTheFirstOneStarted() throws Exception {
        journalctl.exit(1, 1).stdout(2, entries.subList(0, 1));
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1700000000L, 500_000_000), ZoneOffset.UTC);
        source(new SourceConfig.Journal(null, null, journalctl.command(), null),
                new JournalSource.Settings(QUICK, 1 << 20, 512, clock, null)).start(null, listener);

        Await.until("the second run's entry", () -> listener.lines().size() == 1);
        assertThat(journalctl.args(1)).contains("--lines=0");
        assertThat(journalctl.args(2)).contains("--since=@1700000000", "--no-tail").doesNotContain("--lines=0");
    }

    @Test
    void keepsRestartingWithBackOffWhileTheChildKeepsFailing() throws Exception {
        journalctl.exitAlways(3).stderr(1, "Failed to get journal fields: Permission denied");
        JournalSource s = source(new SourceConfig.Journal(null, null, journalctl.command(), null), new JournalSource.Settings(
                new Backoff.Settings(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMinutes(1)), 1 << 20, 512,
                Clock.systemUTC(), null));
        s.start(null, listener);

        Await.until("four runs", () -> journalctl.started(4));
        Await.until("failing", () -> s.health().state() == SourceHealth.State.FAILING);
        assertThat(s.health().errors()).isGreaterThanOrEqualTo(3);
        assertThat(s.health().lastError()).contains("exited with code 3");
        assertThat(listener.batches()).isEmpty();
    }

    @Test
    void badJsonAndOverlongLinesAreSkippedAndCounted() throws Exception {
        String overlong = "{\"MESSAGE\":\"" + "x".repeat(10_000) + "\",\"__CURSOR\":\"s=1;i=99\"}";
        journalctl.stdout(1, List.of("not json at all", entries.get(0), "[1,2]", overlong, "{\"MESSAGE\":", entries.get(2)));
        JournalSource s = source(new SourceConfig.Journal(null, null, journalctl.command(), null),
                new JournalSource.Settings(QUICK, 8192, 512, Clock.systemUTC(), null));
        s.start(null, listener);

        Await.until("the two good entries", () -> listener.lines().size() == 2 && s.badEntries() == 4, listener::lines);
        assertThat(listener.lines().get(0)).contains("to=<nobody@example.org>");
        assertThat(listener.lines().get(1)).contains("removed");
        assertThat(s.health().errors()).isEqualTo(4);
        assertThat(s.health().linesRead()).isEqualTo(2);
        assertThat(listener.lastPosition()).isEqualTo(cursorOf(entries.get(2)));
        assertThat(s.health().state()).isEqualTo(SourceHealth.State.RUNNING);
    }

    @Test
    void batchesAreBoundedInSize() throws Exception {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            many.add("{\"__CURSOR\":\"s=a;i=" + Integer.toHexString(i) + "\",\"__REALTIME_TIMESTAMP\":\"1700000000000000\","
                    + "\"_HOSTNAME\":\"mail\",\"SYSLOG_IDENTIFIER\":\"postfix/qmgr\",\"MESSAGE\":\"line " + i + "\"}");
        }
        journalctl.stdout(1, many);
        source(new SourceConfig.Journal(null, null, journalctl.command(), null),
                new JournalSource.Settings(QUICK, 1 << 20, 7, Clock.systemUTC(), null)).start(null, listener);

        Await.until("50 lines", () -> listener.lines().size() == 50);
        assertThat(listener.batches()).allSatisfy(b -> assertThat(b.lines()).hasSizeLessThanOrEqualTo(7));
        assertThat(listener.lines().get(49)).endsWith("postfix/qmgr: line 50");
        assertThat(listener.lastPosition()).isEqualTo("s=a;i=32");
    }

    @Test
    void aJournalctlThatCannotStartIsFailingAndRetried() {
        JournalSource s = source(new SourceConfig.Journal(null, null, dir.resolve("no-such-journalctl").toString(), null),
                new JournalSource.Settings(QUICK, 1 << 20, 512, Clock.systemUTC(), null));
        s.start(null, listener);

        Await.until("two failed attempts", () -> s.health().errors() >= 2);
        assertThat(s.health().state()).isEqualTo(SourceHealth.State.FAILING);
        assertThat(s.health().lastError()).startsWith("cannot start " + dir.resolve("no-such-journalctl"));
        assertThat(s.childStarts()).isZero();
    }

    @Test
    void aJournalDirectoryThatDoesNotExistIsWaitedFor() throws Exception {
        journalctl.exitAlways(1).stderr(1, "Failed to open " + dir.resolve("journal") + ": No such file or directory");
        JournalSource s = source(new SourceConfig.Journal(null, null, journalctl.command(), dir.resolve("journal")),
                new JournalSource.Settings(QUICK, 1 << 20, 512, Clock.systemUTC(), null));
        s.start(null, listener);

        Await.until("waiting", () -> s.health().state() == SourceHealth.State.WAITING);
        assertThat(journalctl.args(1)).contains("--directory=" + dir.resolve("journal"));
        assertThat(s.id()).isEqualTo("journal:" + dir.resolve("journal"));
    }

    @Test
    void closeStopsTheChildProcess() throws Exception {
        JournalSource s = source();
        s.start(null, listener);
        Await.until("journalctl started", () -> journalctl.started(1));
        long pid = journalctl.pid(1);
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        s.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(s.health().state()).isEqualTo(SourceHealth.State.STOPPED);
        assertThatThrownBy(() -> s.start(null, listener)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailingListenerRestartsTheChildAfterTheLastCursorHandedOver() throws Exception {
        journalctl.stdout(1, entries.subList(0, 1)).stdout(2, entries.subList(2, 3));
        List<SourceBatch> taken = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean failedOnce = new AtomicBoolean();
        JournalSource s = source();
        s.start(null, batch -> {
            if (batch.lines().isEmpty() || failedOnce.getAndSet(true)) {
                taken.add(batch);
                return;
            }
            taken.add(batch);
            throw new IllegalStateException("store is read-only");
        });

        Await.until("the second run", () -> journalctl.started(2));
        Await.until("the second run's entry", () -> taken.stream().anyMatch(b -> b.lines().toString().contains("removed")));
        // the failed batch was not handed over: the child resumes from the stored position, which was none
        assertThat(journalctl.args(2)).anyMatch(a -> a.startsWith("--since=@"));
        assertThat(s.health().lastError()).contains("the listener failed").contains("store is read-only");
    }

    @Test
    void closeInterruptsAListenerWaitingForRoom() throws Exception {
        journalctl.stdout(1, entries.subList(0, 1));
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        JournalSource s = source();
        s.start(null, batch -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await(); // a pipeline that never takes the batch
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });
        entered.await();

        s.close();

        assertThat(interrupted).isTrue();
    }
}
