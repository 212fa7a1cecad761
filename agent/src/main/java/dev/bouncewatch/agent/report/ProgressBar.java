package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.notify.DisplayFormat;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Bytes read of total on one stderr line, redrawn in place with '\r' a few times a second at most.
 * Drawn only when enabled (stderr is a terminal, or the user forced it), so it never lands in a log
 * file or a pipe, and never in the data output on stdout.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.forStderr(Files.size(file), file.getFileName().toString(), false);
 *      InputStream in = new ProgressInputStream(Files.newInputStream(file), bar)) { ... }
 * }</pre>
 */
public final class ProgressBar implements AutoCloseable {

    /** Redraw at most four times a second: more is flicker and wasted syscalls. */
    static final long REDRAW_NANOS = 250_000_000L;
    /** Look at the clock only every so many bytes: reading the time per byte would cost more than the bar. */
    static final long CHECK_EVERY_BYTES = 64 * 1024;
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final long totalBytes;
    private final String label;
    private final boolean enabled;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long lastDrawNanos;
    private long lastCheckedBytes;
    private long bytes;
    private boolean drawn;
    private boolean finished;
    private int lastLength;

    /**
     * @param totalBytes the input size, or a negative number when unknown (stdin): then no percentage
     */
    public ProgressBar(PrintStream out, long totalBytes, String label, boolean enabled, LongSupplier nanoClock) {
        this.out = out;
        this.totalBytes = totalBytes;
        this.label = label == null ? "" : TextWrap.printable(label);
        this.enabled = enabled;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastDrawNanos = startNanos;
    }

    /** A bar on System.err, drawn when stderr is a terminal or {@code force} is set. */
    public static ProgressBar forStderr(long totalBytes, String label, boolean force) {
        return new ProgressBar(System.err, totalBytes, label, force || stderrIsTerminal(), System::nanoTime);
    }

    /**
     * Java cannot ask isatty(2) directly; on Linux the link /proc/self/fd/2 names the terminal device.
     * Elsewhere fall back to System.console(), which is there only when stdin and stdout are terminals.
     */
    public static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            Path fd2 = Path.of("/proc/self/fd/2");
            if (Files.isSymbolicLink(fd2)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (Exception e) {
            // no /proc or not allowed to read it: fall through
        }
        return System.console() != null;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Notes the bytes read so far; redraws when enough time has passed. */
    public void update(long bytesRead) {
        bytes = bytesRead;
        if (!enabled || finished || bytesRead - lastCheckedBytes < CHECK_EVERY_BYTES) {
            return;
        }
        lastCheckedBytes = bytesRead;
        long now = nanoClock.getAsLong();
        if (now - lastDrawNanos >= REDRAW_NANOS) {
            lastDrawNanos = now;
            draw(now);
        }
    }

    /** Draws the final state and ends the line, if the bar was ever drawn; later updates are ignored. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (enabled && drawn) {
            draw(nanoClock.getAsLong());
            out.print('\n');
            out.flush();
        }
    }

    @Override
    public void close() {
        finish();
    }

    private void draw(long now) {
        String line = line(now);
        int pad = Math.max(0, lastLength - line.length());
        out.print('\r' + line + " ".repeat(pad));
        out.flush();
        lastLength = line.length();
        drawn = true;
    }

    String line(long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = bytes / seconds;
        StringBuilder s = new StringBuilder();
        if (!label.isEmpty()) {
            s.append(label).append(' ');
        }
        if (totalBytes > 0) {
            double share = Math.min(1.0, (double) bytes / totalBytes);
            int filled = (int) Math.round(share * BAR_WIDTH);
            s.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
            s.append(String.format(Locale.ROOT, "%3.0f%% ", share * 100));
            s.append(DisplayFormat.bytes(bytes)).append(" / ").append(DisplayFormat.bytes(totalBytes));
            s.append("  ").append(DisplayFormat.bytes((long) rate)).append("/s");
            if (rate > 0 && bytes < totalBytes) {
                s.append("  ETA ").append(duration((long) ((totalBytes - bytes) / rate)));
            }
        } else {
            s.append(DisplayFormat.bytes(bytes)).append("  ").append(DisplayFormat.bytes((long) rate)).append("/s");
        }
        return s.toString();
    }

    static String duration(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
