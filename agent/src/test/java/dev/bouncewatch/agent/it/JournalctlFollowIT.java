package dev.bouncewatch.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.config.SourceConfig;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.parse.LogParser;
import dev.bouncewatch.agent.source.JournalSource;
import dev.bouncewatch.agent.source.SourceBatch;
import dev.bouncewatch.agent.source.SourceHealth;
import dev.bouncewatch.agent.source.SourceListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal source with the real journalctl following a real journal file: entries are written in
 * journald's export format and appended by {@code systemd-journal-remote} (Debian package
 * systemd-journal-remote; journalctl comes with systemd) while the source follows the directory.
 */
@Timeout(300)
class JournalctlFollowIT {

    private static final Path JOURNALCTL = Path.of("/usr/bin/journalctl");
    private static final List<Path> JOURNAL_REMOTE = List.of(Path.of("/lib/systemd/systemd-journal-remote"),
            Path.of("/usr/lib/systemd/systemd-journal-remote"));

    @TempDir
    Path dir;

    private Path journalRemote;
    private Path journalFile;
    private String bootId = "0e6f2b1c9d3a4f5e8b7a6c5d4e3f2a1b";
    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis() * 1000);

    @BeforeEach
    void tools() {
        Optional<Path> remote = JOURNAL_REMOTE.stream().filter(Files::isExecutable).findFirst();
        boolean canRun = Files.isExecutable(JOURNALCTL) && remote.isPresent();
        if (!canRun && System.getenv("CI") == null) {
            Assumptions.abort("needs journalctl and systemd-journal-remote (CI installs systemd-journal-remote)");
        }
        assertThat(canRun).as("CI must install systemd-journal-remote (and systemd, for journalctl)").isTrue();
        journalRemote = remote.get();
        journalFile = dir.resolve("journal").resolve("mail.journal");
    }

    @Test
    void followsAJournalFileAcrossARestartAndAKilledJournalctl() throws Exception {
        Files.createDirectories(journalFile.getParent());
        append(List.of(postfix("old entry before the agent started")));
        SourceConfig.Journal config = new SourceConfig.Journal(null, null, JOURNALCTL.toString(), journalFile.getParent());
        Collected first = new Collected();
        String lastCursor;
        try (JournalSource source = new JournalSource(config)) {
            source.start(null, first);
            // journalctl starts at the end (--lines=0): write markers until it shows it is following
            int marker = 0;
            while (first.lines().isEmpty()) {
                append(List.of(postfix("marker " + marker++)));
                waitFor("journalctl to follow", () -> !first.lines().isEmpty(), Duration.ofSeconds(2));
            }
            first.clear();
            append(List.of(
                    postfix("4SXk2N1mZ8z9vWq: to=<nobody@example.org>, relay=mx.example.org[192.0.2.25]:25, delay=0.42,"
                            + " delays=0.05/0.01/0.2/0.16, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.25] said:"
                            + " 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command))"),
                    entry(Map.of("SYSLOG_IDENTIFIER", "sshd", "SYSLOG_PID", "99", "SYSLOG_FACILITY", "4",
                            "_SYSTEMD_UNIT", "ssh.service", "MESSAGE", "Accepted publickey for root")),
                    entry(Map.of("SYSLOG_IDENTIFIER", "postfix/smtp", "SYSLOG_PID", "2314", "SYSLOG_FACILITY", "2",
                            "_SYSTEMD_UNIT", "postfix@-.service",
                            "MESSAGE", "Postfach voll f\u00fcr kunde".getBytes(StandardCharsets.ISO_8859_1)))));
            waitFor("two entries", () -> first.lines().size() >= 2, Duration.ofSeconds(60));

            List<String> lines = first.lines();
            assertThat(lines).hasSize(2);
            assertThat(lines).noneMatch(l -> l.contains("sshd"));
            List<DeliveryResult> results = LogParser.withDefaults().accept(lines.get(0));
            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(DeliveryStatus.BOUNCED);
                assertThat(r.recipient()).isEqualTo("nobody@example.org");
                assertThat(r.host()).isEqualTo("mail");
            });
            assertThat(lines.get(1)).endsWith("mail postfix/smtp[2314]: Postfach voll f\uFFFDr kunde");

            // journalctl dies: restarted with back-off after the last cursor, nothing lost or repeated
            killJournalctl();
            append(numbered("after kill", 5));
            waitFor("entries after the kill", () -> first.lines().size() >= 7, Duration.ofSeconds(60));
            assertThat(first.lines().subList(2, first.lines().size())).hasSize(5)
                    .allSatisfy(l -> assertThat(l).contains("after kill"));
            assertThat(first.lines().get(6)).endsWith("after kill 4");
            assertThat(source.childStarts()).isEqualTo(2);
            assertThat(source.health().errors()).isEqualTo(1);
            lastCursor = first.lastPosition();
        }

        // stopped while 15 entries arrive, more than journalctl's default tail of 10, and the host
        // reboots among them: --follow alone would read only the new boot's entries
        append(numbered("while stopped", 8));
        bootId = "5b2c0d9e8f7a41b3a6c5d4e3f2a1b0c9";
        append(numbered("while stopped", 8, 15));
        Collected second = new Collected();
        try (JournalSource source = new JournalSource(config)) {
            source.start(lastCursor, second);
            waitFor("the 15 entries", () -> second.lines().size() >= 15, Duration.ofSeconds(60));
            append(numbered("live", 1));
            waitFor("the live entry", () -> second.lines().size() >= 16, Duration.ofSeconds(60));
            List<String> lines = second.lines();
            assertThat(lines).hasSize(16);
            for (int i = 0; i < 15; i++) {
                assertThat(lines.get(i)).endsWith("while stopped " + i);
            }
            assertThat(lines.get(15)).endsWith("live 0");
            assertThat(source.health().state()).isEqualTo(SourceHealth.State.RUNNING);
            assertThat(second.lastPosition()).isNotEqualTo(lastCursor).startsWith("s=");
        }
    }

    private Map<String, Object> postfix(String message) {
        return entry(Map.of("SYSLOG_IDENTIFIER", "postfix/qmgr", "SYSLOG_PID", "1201", "SYSLOG_FACILITY", "2",
                "_SYSTEMD_UNIT", "postfix@-.service", "MESSAGE", message));
    }

    private List<Map<String, Object>> numbered(String text, int n) {
        return numbered(text, 0, n);
    }

    /** Entries "text from" .. "text (to - 1)". */
    private List<Map<String, Object>> numbered(String text, int from, int to) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(postfix(text + " " + i));
        }
        return out;
    }

    private Map<String, Object> entry(Map<String, Object> fields) {
        long now = clock.addAndGet(1000);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("__REALTIME_TIMESTAMP", Long.toString(now));
        e.put("__MONOTONIC_TIMESTAMP", Long.toString(now));
        e.put("_BOOT_ID", bootId);
        e.put("_HOSTNAME", "mail");
        e.put("_TRANSPORT", "syslog");
        e.putAll(fields);
        return e;
    }

    /** Appends entries to the journal file through systemd-journal-remote, from journald's export format. */
    private void append(List<Map<String, Object>> entries) throws IOException, InterruptedException {
        ByteArrayOutputStream export = new ByteArrayOutputStream();
        for (Map<String, Object> e : entries) {
            for (Map.Entry<String, Object> f : e.entrySet()) {
                if (f.getValue() instanceof byte[] raw) {
                    export.write((f.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
                    export.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(raw.length).array());
                    export.write(raw);
                    export.write('\n');
                } else {
                    export.write((f.getKey() + "=" + f.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            export.write('\n');
        }
        Process p = new ProcessBuilder(journalRemote.toString(), "-o", journalFile.toString(), "-")
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(export.toByteArray());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("systemd-journal-remote: %s", out).isZero();
    }

    private void killJournalctl() {
        String directoryArg = "--directory=" + journalFile.getParent();
        List<ProcessHandle> ours = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("journalctl")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(directoryArg)).orElse(false))
                .toList();
        assertThat(ours).hasSize(1);
        ours.get(0).destroyForcibly();
    }

    private static void waitFor(String what, BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        if (limit.compareTo(Duration.ofSeconds(10)) > 0) {
            assertThat(condition.getAsBoolean()).as("waited for %s", what).isTrue();
        }
    }

    /** Keeps lines and the last position. */
    private static final class Collected implements SourceListener {
        private final List<String> lines = new ArrayList<>();
        private String lastPosition;

        @Override
        public synchronized void onBatch(SourceBatch batch) {
            lines.addAll(batch.lines());
            lastPosition = batch.position();
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized void clear() {
            lines.clear();
        }

        synchronized String lastPosition() {
            return lastPosition;
        }
    }
}
