package dev.bouncewatch.agent.source;

import dev.bouncewatch.agent.config.SourceConfig;
import dev.bouncewatch.agent.parse.MtaChoice;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one log file across rotations and restarts without losing or repeating a line, reading
 * with commons-io's {@code Tailer} through its public seams ({@link FollowedFile} decides when to move
 * to the next file, {@link LineBridge} frames lines on bytes and marks batch positions).
 * <p>
 * What it guarantees and decides:
 * <ul>
 * <li>A batch's {@link SourceBatch#position()} is the byte after its last line in the file identified
 *     by inode and first bytes ({@link FilePosition}). Started with that position, reading continues at
 *     exactly that byte, in the same file or, if it was rotated meanwhile, in the sibling that holds it
 *     ({@code mail.log.1}, {@code .gz}, dated names), then the files after it ({@link ResumePlanner}).
 *     Without a position (first start) the file is read from its start.</li>
 * <li>When reading moves on to the next file, an empty batch carries the new file's position, so the
 *     checkpoint follows even before the new file has a line.</li>
 * <li>Only lines ended by LF are handed over, except at the end of a file that has been rotated away
 *     and stayed quiet: its unterminated last line is handed over then, since no writer will end it.</li>
 * <li>A CR before the LF is dropped; any other CR becomes a space (Tailer would split the line there).
 *     Bytes that are not UTF-8 become U+FFFD. Lines longer than {@link FileSourceOptions#maxLineBytes()}
 *     are cut and counted ({@link #linesCut()}).</li>
 * <li>An unreadable stored position is logged; the file is then read from its start when it is small,
 *     else from its end ({@link FileSourceOptions#smallFileBytes()}).</li>
 * <li>If Tailer's loop ends on an error, a new one starts from the last delivered batch after a
 *     back-off; the error is counted and {@link #health()} says FAILING until a poll succeeds.</li>
 * <li>When the pipeline is slow, {@link SourceListener#onBatch} blocks the reading thread; nothing is
 *     buffered beyond one batch.</li>
 * </ul>
 * What it cannot fix: lines logrotate itself loses between its copy and its truncate (copytruncate);
 * lines a writer appends to a rotated file after it was quiet for the whole quiet period; a file
 * copytruncated before any poll saw it non-empty, or refilled with the very same first kilobyte (then
 * nothing tells the old content from the new).
 */
public final class FileSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(FileSource.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration REPEAT_WARNING = Duration.ofMinutes(10);

    private final Path path;
    private final FileSourceOptions options;
    private final String id;
    private final MtaChoice format;
    private final FileSourceStats stats = new FileSourceStats();

    private volatile boolean closing;
    private volatile FollowSession session;
    // the reading thread's last warning, so a failure that persists is not logged at every retry
    private String lastWarning;
    private long lastWarnedAt;
    private Thread thread;

    public FileSource(SourceConfig.File config) {
        this(config.path(), FileSourceOptions.defaults().withPollInterval(config.pollInterval()), config.format());
    }

    public FileSource(Path path, FileSourceOptions options) {
        this(path, options, MtaChoice.AUTO);
    }

    public FileSource(Path path, FileSourceOptions options, MtaChoice format) {
        this.format = Objects.requireNonNull(format, "format");
        this.path = path.toAbsolutePath().normalize();
        this.options = Objects.requireNonNull(options, "options");
        this.id = "file:" + this.path;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public MtaChoice format() {
        return format;
    }

    @Override
    public synchronized void start(String storedPosition, SourceListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (thread != null) {
            throw new IllegalStateException(id + " was started already");
        }
        stats.running();
        thread = new Thread(() -> follow(storedPosition, listener), "bouncewatch-" + id);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public SourceHealth health() {
        return new SourceHealth(id, "file", path.toString(), stats.state(), stats.lagBytes(), stats.lastReadAt(),
                stats.linesRead(), stats.errors(), stats.lastError());
    }

    /** Lines longer than {@link FileSourceOptions#maxLineBytes()} that were cut, since start. */
    public long linesCut() {
        return stats.linesCut();
    }

    @Override
    public void close() {
        closing = true;
        FollowSession running = session;
        if (running != null) {
            running.stop();
        }
        Thread reader;
        synchronized (this) {
            reader = thread;
        }
        if (reader != null) {
            reader.interrupt();
            boolean interrupted = false;
            while (reader.isAlive()) {
                try {
                    reader.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        stats.stopped();
    }

    /** The reading thread: Tailer sessions, each restarted from the last delivered batch after a failure. */
    private void follow(String storedPosition, SourceListener listener) {
        String position = storedPosition;
        int failures = 0;
        try {
            while (!closing) {
                FollowSession next;
                try {
                    next = new FollowSession(id, path, options, stats, listener, position);
                } catch (IOException | RuntimeException e) {
                    failures++;
                    pause(failures, "cannot plan reading " + path + ": " + e, e);
                    continue;
                }
                session = next;
                if (closing) {
                    next.discard();
                    break;
                }
                next.run();
                if (next.delivered() != null) {
                    position = next.delivered().format();
                    failures = 0;
                }
                if (closing) {
                    break;
                }
                failures++;
                Exception failure = next.failure();
                pause(failures, "reading " + path + " failed: " + (failure == null ? "tailer stopped" : failure), failure);
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            stats.stopped();
        }
    }

    private static boolean isAccessDenied(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AccessDeniedException) {
                return true;
            }
        }
        return false;
    }

    /** Who the agent runs as and what would let it read the file (README: Troubleshooting). */
    private String accessProblem() {
        return UnixAccount.current().flatMap(who -> ReadAccess.system().fileProblem(path, who))
                .orElse("cannot read " + path + ": permission denied although its mode bits allow it (an ACL,"
                        + " SELinux or AppArmor may refuse it: see README, Troubleshooting)");
    }

    private void pause(int failures, String message, Exception cause) throws InterruptedException {
        if (closing) {
            return;
        }
        boolean denied = isAccessDenied(cause);
        String text = denied ? accessProblem() : message;
        stats.failed(text);
        long millis = Math.min(MAX_BACKOFF.toMillis(), options.pollInterval().toMillis() << Math.min(failures, 16));
        // the same failure every back-off step would flood the journal: once, then every ten minutes
        long now = System.nanoTime();
        if (!text.equals(lastWarning) || now - lastWarnedAt > REPEAT_WARNING.toNanos()) {
            lastWarning = text;
            lastWarnedAt = now;
            // a permission problem is explained in full; its stack trace would only bury that
            log.warn("{}; starting again from the last delivered line in {} ms", text, millis, denied ? null : cause);
        } else {
            log.debug("{}; again, retrying in {} ms", text, millis);
        }
        Thread.sleep(millis);
    }
}
