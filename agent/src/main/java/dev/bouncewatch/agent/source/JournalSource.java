package dev.bouncewatch.agent.source;

import dev.bouncewatch.agent.config.SourceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the systemd journal through a {@code journalctl --follow --output=json} child process (see
 * {@link JournalCommand} for the command and the matches) and hands over each entry as the syslog line
 * the MTA meant to write ({@link JournalEntryFormatter}). The position of a batch is the
 * {@code __CURSOR} of its last entry; a start with a stored cursor resumes right after it.
 *
 * <p>A child that exits or cannot start leaves the source FAILING and is restarted with exponential
 * back-off ({@link Backoff}), resuming after the last cursor handed over. A child that dies before any
 * entry was handed over is restarted from the time the first one started, so nothing written in
 * between is lost (at worst entries of that one second come twice). Bad JSON lines and entries longer
 * than the limit are skipped and counted as errors; entries without a MESSAGE are skipped and counted.
 */
public final class JournalSource implements Source {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSource.class);

    /** journalctl stderr lines logged per child; more are counted only (a crash loop must not flood the log). */
    private static final int STDERR_LINES_LOGGED = 20;

    /** Bad entries logged in full per source; more are counted only. */
    private static final int BAD_ENTRIES_LOGGED = 10;

    /** {@code s=...;i=...;b=...}: hex values after one-letter keys, as sd_journal_get_cursor writes them. */
    private static final Pattern CURSOR = Pattern.compile("[a-z]=[0-9a-fA-F]+(;[a-z]=[0-9a-fA-F]+)*");

    /**
     * Limits, overridable by tests.
     *
     * @param backoff       restart delays
     * @param maxEntryBytes longest JSON line kept; journald's own line limit is 48 KiB, and a byte-array
     *                      MESSAGE takes up to 4 characters per byte
     * @param maxBatchLines most lines per batch; a batch also ends whenever journalctl has nothing more
     * @param clock         for the restart time and the health page
     * @param machineId     this machine's id for the system journal's matches, null when unknown
     */
    record Settings(Backoff.Settings backoff, int maxEntryBytes, int maxBatchLines, Clock clock, String machineId) {

        /** This host's: its machine id is read from /etc/machine-id. */
        static Settings defaults() {
            return new Settings(Backoff.DEFAULTS, 1 << 20, 512, Clock.systemUTC(),
                    JournalCommand.machineId(Path.of("/etc/machine-id")));
        }

        Settings {
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(clock, "clock");
            if (maxEntryBytes < 1 || maxBatchLines < 1) {
                throw new IllegalArgumentException("maxEntryBytes and maxBatchLines must be positive");
            }
        }
    }

    private final SourceConfig.Journal config;
    private final Settings settings;
    private final String id;
    private final HealthTracker health;
    private final JournalEntryFormatter formatter = new JournalEntryFormatter();
    private final AtomicLong badEntries = new AtomicLong();
    private final AtomicLong entriesWithoutMessage = new AtomicLong();
    private final AtomicLong childStarts = new AtomicLong();
    private final Object lock = new Object();
    private boolean closed; // guarded by lock
    private Process child; // guarded by lock
    private Thread reader; // guarded by lock
    /** The cursor of the last batch handed over: where a restarted child resumes. Reader thread only. */
    private String handedCursor;
    /** When the first child of this run started, for a restart before any cursor was handed over. */
    private Instant firstStart;

    public JournalSource(SourceConfig.Journal config) {
        this(config, Settings.defaults());
    }

    JournalSource(SourceConfig.Journal config, Settings settings) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.id = idOf(config);
        String target = (config.directory() == null ? "system journal" : config.directory().toString())
                + " " + String.join(" ", JournalCommand.matches(config));
        this.health = new HealthTracker(id, "journal", target, settings.clock());
    }

    /**
     * {@code journal:system} or {@code journal:/path/to/dir}, plus the matches when they are not the
     * default ({@code journal:system:unit=postfix@out.service}): one journal read with other matches
     * is another source with its own cursor.
     */
    static String idOf(SourceConfig.Journal config) {
        String base = "journal:" + (config.directory() == null ? "system" : config.directory().toString());
        String matches = JournalCommand.describeMatches(config);
        return "default".equals(matches) ? base : base + ":" + matches;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void start(String storedPosition, SourceListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            if (reader != null || closed) {
                throw new IllegalStateException(id + " was already started");
            }
            if (storedPosition != null && !CURSOR.matcher(storedPosition).matches()) {
                // journalctl would refuse it on every restart; reading from now beats never reading
                LOG.warn("{}: stored position '{}' is not a journal cursor; reading from now on", id, storedPosition);
                health.error("stored position is not a journal cursor: " + storedPosition);
                storedPosition = null;
            }
            handedCursor = storedPosition;
            reader = new Thread(() -> run(listener), "bouncewatch-" + id);
            reader.setDaemon(true);
            reader.start();
        }
    }

    @Override
    public SourceHealth health() {
        return health.snapshot();
    }

    /** JSON lines that were not an entry, or longer than the limit: skipped. */
    public long badEntries() {
        return badEntries.get();
    }

    /** Entries without a MESSAGE (or with a null one): skipped, not errors. */
    public long entriesWithoutMessage() {
        return entriesWithoutMessage.get();
    }

    /** journalctl processes started so far (1 + restarts). */
    public long childStarts() {
        return childStarts.get();
    }

    @Override
    public void close() {
        Process p;
        Thread t;
        synchronized (lock) {
            closed = true;
            p = child;
            t = reader;
        }
        if (p != null) {
            destroy(p);
        }
        if (t != null) {
            t.interrupt(); // wakes a back-off sleep or a listener waiting for room
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("{}: reader thread did not stop within 10 s", id);
            }
        }
        health.state(SourceHealth.State.STOPPED);
    }

    private void run(SourceListener listener) {
        Backoff backoff = new Backoff(settings.backoff());
        try {
            while (true) {
                long started = System.nanoTime(); // a wall-clock jump must not reset the back-off
                String failure = runChild(listener);
                if (failure == null) {
                    return; // closed
                }
                boolean missing = config.directory() != null && !Files.isDirectory(config.directory());
                health.fail(missing ? SourceHealth.State.WAITING : SourceHealth.State.FAILING, failure);
                Duration delay = backoff.delayAfter(Duration.ofNanos(System.nanoTime() - started));
                LOG.warn("{}: {}; restarting in {} ms", id, failure, delay.toMillis());
                Thread.sleep(delay.toMillis());
            }
        } catch (InterruptedException e) {
            // close() wants us to stop
        } finally {
            Process left;
            synchronized (lock) {
                left = child;
                child = null;
            }
            if (left != null) {
                destroy(left);
            }
        }
    }

    /** Runs one child until it ends; the reason it ended, or null when the source was closed. */
    private String runChild(SourceListener listener) throws InterruptedException {
        Process p;
        List<String> command;
        synchronized (lock) {
            if (closed) {
                return null;
            }
            if (firstStart == null) {
                firstStart = settings.clock().instant();
                command = JournalCommand.build(config, handedCursor, null, settings.machineId());
            } else {
                command = JournalCommand.build(config, handedCursor, handedCursor == null ? firstStart : null,
                        settings.machineId());
            }
            try {
                p = new ProcessBuilder(command).start();
            } catch (IOException e) {
                return "cannot start " + command.get(0) + ": " + e.getMessage();
            }
            child = p;
        }
        childStarts.incrementAndGet();
        LOG.info("{}: following the journal: {}", id, String.join(" ", command));
        health.state(SourceHealth.State.RUNNING);
        AtomicReference<String> lastStderr = new AtomicReference<>();
        Thread stderr = pumpStderr(p, lastStderr);
        String readError = null;
        try {
            p.getOutputStream().close();
            follow(p.getInputStream(), listener);
        } catch (IOException e) {
            readError = "reading its output failed: " + e.getMessage();
        } catch (RuntimeException e) {
            // a pipeline bug must not end the source silently: restart after the last cursor handed over
            LOG.error("{}: the listener failed", id, e);
            readError = "the listener failed: " + e;
        }
        synchronized (lock) {
            if (closed) {
                return null;
            }
        }
        if (readError != null) {
            destroy(p);
        } else if (!p.waitFor(5, TimeUnit.SECONDS)) {
            readError = "it closed its output but kept running";
            destroy(p);
        }
        stderr.join(1000);
        synchronized (lock) {
            child = null;
            if (closed) {
                return null;
            }
        }
        StringBuilder why = new StringBuilder(command.get(0));
        if (readError != null) {
            why.append(" stopped: ").append(readError);
        } else {
            why.append(" exited with code ").append(p.exitValue());
        }
        if (lastStderr.get() != null) {
            why.append(": ").append(lastStderr.get());
        }
        return why.toString();
    }

    /** Reads entries until journalctl's output ends, handing them over in batches. */
    private void follow(InputStream out, SourceListener listener) throws IOException, InterruptedException {
        ByteLineReader lines = new ByteLineReader(out, settings.maxEntryBytes());
        List<String> batch = new ArrayList<>();
        String batchCursor = null;
        while (lines.next()) {
            if (lines.tooLong()) {
                bad("entry longer than " + settings.maxEntryBytes() + " bytes skipped");
            } else if (lines.length() > 0) {
                try {
                    JournalEntryFormatter.Entry entry = formatter.format(lines.bytes(), lines.length());
                    if (entry.line() != null) {
                        batch.add(entry.line());
                    } else {
                        entriesWithoutMessage.incrementAndGet();
                    }
                    if (entry.cursor() != null) {
                        batchCursor = entry.cursor();
                    }
                } catch (JournalEntryFormatter.InvalidEntryException e) {
                    bad("line skipped, " + e.getMessage());
                }
            }
            if (batch.size() >= settings.maxBatchLines() || !lines.hasBuffered()) {
                handOver(listener, batch, batchCursor);
                batch = new ArrayList<>();
                batchCursor = null;
            }
        }
        handOver(listener, batch, batchCursor);
    }

    /**
     * Hands a batch over. A batch of entries without a message still moves the position on, so a
     * restart does not read them again.
     */
    private void handOver(SourceListener listener, List<String> lines, String cursor) throws InterruptedException {
        if (lines.isEmpty() && cursor == null) {
            return;
        }
        listener.onBatch(SourceBatch.ofLines(id, lines, cursor != null ? cursor : handedCursor, 0));
        if (cursor != null) {
            handedCursor = cursor;
        }
        health.read(lines.size());
    }

    private void bad(String message) {
        long n = badEntries.incrementAndGet();
        health.error(message);
        if (n <= BAD_ENTRIES_LOGGED) {
            LOG.warn("{}: {}{}", id, message, n == BAD_ENTRIES_LOGGED ? " (further bad entries are counted only)" : "");
        }
    }

    /** Logs the child's stderr, bounded, and keeps its last line for the failure message. */
    private Thread pumpStderr(Process p, AtomicReference<String> last) {
        Thread t = new Thread(() -> {
            try (InputStream err = p.getErrorStream()) {
                ByteLineReader lines = new ByteLineReader(err, 2048);
                int seen = 0;
                while (lines.next()) {
                    String line = new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8).strip();
                    if (line.isEmpty()) {
                        continue;
                    }
                    last.set(line);
                    health.lastError(line);
                    seen++;
                    if (seen <= STDERR_LINES_LOGGED) {
                        LOG.warn("{}: journalctl: {}", id, line);
                    } else if (seen == STDERR_LINES_LOGGED + 1) {
                        LOG.warn("{}: journalctl: further stderr lines are not logged", id);
                    }
                }
            } catch (IOException e) {
                // the child is gone; its exit is reported by the reader
            }
        }, "bouncewatch-" + id + "-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Stops journalctl (and, for a wrapper script, what it started), politely first. */
    private static void destroy(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                descendants.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
