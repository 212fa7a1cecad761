package dev.bouncewatch.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing twice: a writer appends Postfix delivery lines at a steady rate, the test
 * rotates the file the two ways logrotate does (create: rename while the writer keeps its old file
 * open for a moment, then reopens; copytruncate) many times, and SIGKILLs the agent several times
 * at random moments. Afterwards every line's result is in the agent's database exactly once.
 */
class RotationCrashIT {

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");
    private static final Duration WRITING = Duration.ofSeconds(40);
    private static final int LINES_PER_SECOND = 400;

    @TempDir
    Path dir;

    @Test
    void everyLineIsStoredExactlyOnceAcrossRotationsAndKills() throws Exception {
        Path log = dir.resolve("mail.log");
        Path state = dir.resolve("state");
        int port = AgentProcess.freePort();
        Path config = dir.resolve("agent.yml");
        Files.writeString(config, """
                stateDir: %s
                sources:
                  - type: file
                    path: %s
                    format: postfix
                    pollInterval: 50ms
                http:
                  listen: 127.0.0.1:%d
                notify:
                  console: false
                """.formatted(state, log, port));
        Writer writer = new Writer(log);
        Random random = new Random(42);
        int kills = 0;
        int rotations = 0;
        try (AgentProcess agent = new AgentProcess(config, dir.resolve("agent.out"), port)) {
            agent.start();
            Thread writing = new Thread(writer::run, "log-writer");
            writing.start();
            Instant end = Instant.now().plus(WRITING);
            Instant nextKill = Instant.now().plusMillis(3000 + random.nextInt(4000));
            while (Instant.now().isBefore(end)) {
                Thread.sleep(700 + random.nextInt(900));
                if (rotations % 2 == 0) {
                    writer.rotateCreate();
                } else {
                    writer.rotateCopyTruncate();
                }
                rotations++;
                if (Instant.now().isAfter(nextKill)) {
                    agent.kill();
                    kills++;
                    Thread.sleep(random.nextInt(1500));
                    agent.start();
                    nextKill = Instant.now().plusMillis(3000 + random.nextInt(4000));
                }
            }
            writer.stop();
            writing.join();
            int written = writer.written.get();
            try {
                awaitStored(state.resolve("bouncewatch.db"), written, Duration.ofSeconds(120));
            } catch (AssertionError e) {
                // what the agent says about itself, for a failure that happens only under load
                String health = agent.isAlive() ? agent.getText("/healthz") : "agent not running";
                String out = Files.readString(dir.resolve("agent.out"));
                throw new AssertionError(e.getMessage() + "\nhealthz: " + health + "\nmissing: "
                        + missingRanges(state.resolve("bouncewatch.db"), written) + "\nfiles: " + listing(dir)
                        + "\nagent output (last 20000 chars):\n" + out.substring(Math.max(0, out.length() - 20000)), e);
            }
            assertThat(agent.stop()).as("exit code after SIGTERM").isZero();

            TreeMap<String, Integer> counts = recipientCounts(state.resolve("bouncewatch.db"));
            List<String> missing = new ArrayList<>();
            List<String> doubled = new ArrayList<>();
            for (int i = 0; i < written; i++) {
                Integer n = counts.get(Writer.recipient(i));
                if (n == null) {
                    missing.add(Writer.recipient(i));
                } else if (n > 1) {
                    doubled.add(Writer.recipient(i) + " x" + n);
                }
            }
            System.out.printf("RotationCrashIT: %d lines written, %d rotations, %d SIGKILLs, %d results stored%n",
                    written, rotations, kills, counts.values().stream().mapToInt(Integer::intValue).sum());
            assertThat(kills).as("kills").isGreaterThanOrEqualTo(3);
            assertThat(rotations).as("rotations").isGreaterThanOrEqualTo(20);
            assertThat(missing).as("lines without a stored result (of %d written)", written).isEmpty();
            assertThat(doubled).as("lines stored more than once").isEmpty();
            assertThat(counts).hasSize(written);
        }
    }

    /** Each file with its size and the first and last recipient in it: where the missing lines were. */
    private static String listing(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith("mail.log")) {
                    out.add(name);
                    continue;
                }
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                out.add(name + " " + Files.size(p) + " B " + (lines.isEmpty() ? "empty"
                        : recipientOf(lines.get(0)) + ".." + recipientOf(lines.get(lines.size() - 1))));
            }
        }
        return String.join(", ", out);
    }

    private static String recipientOf(String line) {
        int at = line.indexOf("to=<");
        return at < 0 ? "?" : line.substring(at + 4, Math.min(line.length(), at + 15));
    }

    /** The recipients without a result, as ranges of line numbers. */
    private static String missingRanges(Path db, int written) throws Exception {
        TreeMap<String, Integer> counts = recipientCounts(db);
        List<String> ranges = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= written; i++) {
            boolean missing = i < written && !counts.containsKey(Writer.recipient(i));
            if (missing && start < 0) {
                start = i;
            } else if (!missing && start >= 0) {
                ranges.add(start == i - 1 ? Integer.toString(start) : start + "-" + (i - 1));
                start = -1;
            }
        }
        return ranges.size() > 40 ? ranges.subList(0, 40) + " ... (" + ranges.size() + " ranges)" : ranges.toString();
    }

    private static void awaitStored(Path db, int expected, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        int stored = -1;
        while (Instant.now().isBefore(deadline)) {
            stored = recipientCounts(db).size();
            if (stored >= expected) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("only " + stored + " of " + expected + " lines stored after " + timeout);
    }

    private static TreeMap<String, Integer> recipientCounts(Path db) throws SQLException {
        TreeMap<String, Integer> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT recipient, count(*) FROM results GROUP BY recipient")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    /** Appends one delivery line per recipient number, like a syslog daemon holding the file open. */
    private static final class Writer {
        private final Path log;
        private final ReentrantLock lock = new ReentrantLock();
        private final AtomicInteger written = new AtomicInteger();
        private volatile boolean stopped;
        private OutputStream out;
        private int generation;

        Writer(Path log) throws IOException {
            this.log = log;
            this.out = new FileOutputStream(log.toFile(), true);
        }

        static String recipient(int n) {
            return "rcpt-%06d@example.test".formatted(n);
        }

        void run() {
            long intervalNanos = 1_000_000_000L / LINES_PER_SECOND;
            long next = System.nanoTime();
            try {
                while (!stopped) {
                    lock.lock();
                    try {
                        int n = written.get();
                        out.write(line(n).getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        written.incrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                    next += intervalNanos;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
                lock.lock();
                try {
                    out.close();
                } finally {
                    lock.unlock();
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String line(int n) {
            String time = OffsetDateTime.now(ZoneOffset.UTC).format(RFC3339);
            String queueId = "%010X".formatted(0x1000000000L + n);
            String status = n % 3 == 0 ? "sent (250 2.0.0 Ok: queued as ABC)"
                    : n % 3 == 1 ? "bounced (host mx.example.test[192.0.2.1] said: 550 5.1.1 <" + recipient(n)
                    + ">: Recipient address rejected: User unknown (in reply to RCPT TO command))"
                    : "deferred (host mx.example.test[192.0.2.1] said: 451 4.7.1 Greylisted, try again later (in reply to RCPT TO command))";
            String dsn = n % 3 == 0 ? "2.0.0" : n % 3 == 1 ? "5.1.1" : "4.7.1";
            return time + " mta postfix/smtp[4242]: " + queueId + ": to=<" + recipient(n)
                    + ">, relay=mx.example.test[192.0.2.1]:25, delay=0.2, delays=0.1/0/0.05/0.05, dsn=" + dsn
                    + ", status=" + status + "\n";
        }

        /** logrotate create + rsyslog HUP: rename, a few more lines into the renamed file, then reopen. */
        void rotateCreate() throws IOException, InterruptedException {
            shiftOld();
            Files.move(log, sibling(1), StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(30); // the writer keeps writing to the renamed file until the HUP
            lock.lock();
            try {
                out.close();
                out = new FileOutputStream(log.toFile(), true);
            } finally {
                lock.unlock();
            }
        }

        /**
         * logrotate copytruncate. The writer is paused during copy and truncate: logrotate's own
         * window, where lines written between the two are lost, is not what this test measures.
         */
        void rotateCopyTruncate() throws IOException {
            lock.lock();
            try {
                shiftOld();
                Files.copy(log, sibling(1));
                try (var channel = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                }
            } finally {
                lock.unlock();
            }
        }

        private void shiftOld() throws IOException {
            generation++;
            for (int i = Math.min(generation, 60); i >= 1; i--) {
                if (Files.exists(sibling(i))) {
                    Files.move(sibling(i), sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        private Path sibling(int n) {
            return log.resolveSibling(log.getFileName() + "." + n);
        }

        void stop() {
            stopped = true;
        }
    }
}
