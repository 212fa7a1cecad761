package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.parse.LogLineReader;
import dev.bouncewatch.agent.parse.LogParser;
import dev.bouncewatch.agent.report.ProgressBar;
import dev.bouncewatch.agent.report.ProgressInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The reading loop of {@code parse} and {@code report}: opens each file (plain or gzip, {@code -} for
 * stdin), dates its year-less timestamps from the file's modification time or {@code --year}, feeds
 * every line to one {@link LogParser} (so queue ids correlate across rotated files given in order),
 * counts lines dropped for being too long, and names the file and line when reading fails. A failed
 * file is reported on stderr and the others are still read.
 *
 * <p>Reading, UTF-8 decoding and the stateless half of parsing ({@link LogParser#prepare}) run on a
 * thread of their own and hand lines over in batches through a small bounded queue; the caller's thread
 * correlates ({@link LogParser#apply}) and runs the handler. On two cores the halves overlap instead of
 * adding up, and memory stays flat whatever the file size.
 */
final class LogInputs {

    /** Receives the results of each line, in log order, on the caller's thread. */
    interface ResultHandler {
        void handle(DeliveryResult result) throws IOException;
    }

    /** Lines and skipped lines of one input, for a report's header. */
    record Source(String name, long lines, long skipped) {
    }

    private static final int BATCH_LINES = 1024;
    private static final int QUEUE_BATCHES = 8;
    private static final long JOIN_MILLIS = 5_000;

    private final LogParser parser;
    private final int maxLineBytes;
    private final Integer year;
    private final String command;
    private final PrintWriter err;
    private final Progress progress;
    private final List<Source> sources = new ArrayList<>();
    /** Reader thread only: a line read, not yet in a batch. */
    private String pending;
    /** Reader thread only: too-long lines of this file given a marker so far. */
    private long tooLongHandedOver;

    /**
     * @param maxLineBytes longer lines are dropped unread and counted (the parser's limit)
     * @param year     the year of each file's first year-less timestamp, or null to infer it
     * @param command  the command name error messages start with ({@code bouncewatch parse: ...})
     * @param progress whether to draw a progress bar on stderr per file
     */
    LogInputs(LogParser parser, int maxLineBytes, Integer year, String command, PrintWriter err, Progress progress) {
        this.parser = parser;
        this.maxLineBytes = maxLineBytes;
        this.year = year;
        this.command = command;
        this.err = err;
        this.progress = progress;
    }

    /** When to draw a progress bar: never (parse), on a terminal, or always (--progress). */
    enum Progress { NEVER, ON_TERMINAL, ALWAYS }

    /** The inputs read so far, in order, with their line counts. */
    List<Source> sources() {
        return List.copyOf(sources);
    }

    /** Reads every file in order; true when all could be read to the end. */
    boolean readAll(List<String> files, ResultHandler handler) throws IOException {
        boolean allRead = true;
        for (String file : files) {
            allRead &= read(file, handler);
        }
        return allRead;
    }

    /** Reads one file; false (after saying why on stderr) when it could not be opened or read to its end. */
    boolean read(String file, ResultHandler handler) throws IOException {
        boolean stdin = file.equals("-");
        return read(file, stdin ? "(stdin)" : file, handler, bar -> open(file, bar),
                () -> stdin ? Instant.now() : Files.getLastModifiedTime(Path.of(file)).toInstant());
    }

    /** Reads a stream another program writes (the journal), as if it were a file written now. */
    boolean readStream(String name, InputStream in, ResultHandler handler) throws IOException {
        return read(name, name, handler, bar -> new NonClosingInputStream(in), Instant::now);
    }

    private interface Opener {
        InputStream open(ProgressBar bar) throws IOException;
    }

    private interface LastWritten {
        Instant get() throws IOException;
    }

    private boolean read(String file, String sourceName, ResultHandler handler, Opener opener, LastWritten lastWritten)
            throws IOException {
        long linesBefore = parser.counters().lines();
        long skippedBefore = parser.counters().skipped();
        boolean ok;
        try (ProgressBar bar = progressBar(file);
             InputStream in = opener.open(bar)) {
            LogLineReader reader = LogLineReader.open(in, maxLineBytes);
            if (year != null) {
                parser.startSource(year);
            } else {
                parser.startSource(lastWritten.get());
            }
            IOException readError = pump(reader, handler);
            ok = readError == null;
            if (!ok) { // a truncated .gz: keep what was read, say where it stopped
                bar.finish();
                err.println(command + ": " + file + ": read error after line "
                        + (parser.counters().lines() - linesBefore) + ": " + readError.getMessage());
            }
        } catch (NoSuchFileException e) {
            err.println(command + ": " + file + ": no such file");
            ok = false;
        } catch (ReadFailure e) {
            throw e.getCause();
        } catch (IOException e) {
            err.println(command + ": " + file + ": " + e.getMessage());
            ok = false;
        }
        sources.add(new Source(sourceName, parser.counters().lines() - linesBefore,
                parser.counters().skipped() - skippedBefore));
        return ok;
    }

    /**
     * Runs the reader thread for one file and parses what it hands over; returns the read error that
     * ended the file early, or null. An error of the handler (say, stdout closed) stops the reader and
     * is rethrown wrapped in {@link ReadFailure}.
     */
    private IOException pump(LogLineReader reader, ResultHandler handler) throws IOException {
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
        Thread thread = new Thread(() -> readLines(reader, queue), "bouncewatch-log-reader");
        thread.setDaemon(true);
        thread.start();
        try {
            while (true) {
                Batch batch = queue.take();
                apply(batch, handler);
                if (batch.last) {
                    return batch.error;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadFailure(new InterruptedIOException("interrupted while reading logs"));
        } catch (IOException e) {
            throw new ReadFailure(e);
        } finally {
            thread.interrupt(); // no-op when it has finished; else unblocks it so the file gets closed
            try {
                thread.join(JOIN_MILLIS); // bounded: a reader blocked on a silent stdin pipe must not hang us
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One batch per call, not one loop over the whole file: the JIT then compiles this method normally
     * instead of an on-stack replacement of a loop that runs for minutes (which cost more compile time
     * than the whole run saved on a million lines).
     */
    private void apply(Batch batch, ResultHandler handler) throws IOException {
        for (int i = 0; i < batch.count; i++) {
            LogParser.PreparedLine line = batch.lines[i];
            if (line == null) { // dropped by the reader for being too long
                parser.skipTooLong();
                continue;
            }
            List<DeliveryResult> results = parser.apply(line);
            for (int j = 0; j < results.size(); j++) {
                handler.handle(results.get(j));
            }
        }
    }

    /**
     * The reader thread: reads, decodes and {@linkplain LogParser#prepare prepares} lines (the parser's
     * work that needs no correlation state) and hands them over in batches, null for each too-long
     * line, then a last batch.
     */
    private void readLines(LogLineReader reader, BlockingQueue<Batch> queue) {
        Batch batch = new Batch();
        pending = null;
        tooLongHandedOver = 0;
        try {
            while (fill(batch, reader)) {
                queue.put(batch);
                batch = new Batch();
            }
        } catch (IOException e) {
            batch.error = e;
        } catch (RuntimeException e) { // a parser bug: end this file as if it could not be read further
            batch.error = new IOException("internal error while parsing: " + e, e);
        } catch (InterruptedException e) {
            return; // the consumer gave up
        }
        batch.last = true;
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            // the consumer gave up
        }
    }

    /**
     * Fills the batch (one call per batch, for the JIT as in {@link #apply}); false at the end of
     * input. A line the reader dropped for being too long gets a null in its place: readLine() skips
     * those before it returns the next line, so their markers go first.
     */
    private boolean fill(Batch batch, LogLineReader reader) throws IOException {
        while (batch.count < BATCH_LINES) {
            if (tooLongHandedOver < reader.tooLongLines()) {
                tooLongHandedOver++;
                batch.lines[batch.count++] = null;
            } else if (pending != null) {
                batch.lines[batch.count++] = parser.prepare(pending);
                pending = null;
            } else if ((pending = reader.readLine()) == null && tooLongHandedOver == reader.tooLongLines()) {
                return false;
            }
        }
        return true;
    }

    private static final class Batch {
        final LogParser.PreparedLine[] lines = new LogParser.PreparedLine[BATCH_LINES];
        int count;
        boolean last;
        IOException error;
    }

    /** A handler error travelling past the per-file error handling: it ends the whole command. */
    private static final class ReadFailure extends IOException {
        ReadFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private ProgressBar progressBar(String file) throws IOException {
        boolean stdin = file.equals("-");
        long size = stdin ? -1 : sizeOrUnknown(Path.of(file));
        String label = stdin ? "stdin" : Path.of(file).getFileName().toString();
        boolean enabled = switch (progress) {
            case NEVER -> false;
            case ALWAYS -> true;
            case ON_TERMINAL -> ProgressBar.stderrIsTerminal();
        };
        return new ProgressBar(stderr(), size, label, enabled, System::nanoTime);
    }

    private static long sizeOrUnknown(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return -1; // missing: open() says so
        }
    }

    /** The bar writes bytes straight to the process's stderr, never into a captured writer. */
    private static PrintStream stderr() {
        return System.err;
    }

    private static InputStream open(String file, ProgressBar bar) throws IOException {
        InputStream raw = file.equals("-") ? new NonClosingInputStream(System.in) : Files.newInputStream(Path.of(file));
        // counted before unzipping, so the bar's total is the file size
        return bar.enabled() ? new ProgressInputStream(raw, bar) : raw;
    }

    /** stdin stays open for whoever runs us in-process. */
    private static final class NonClosingInputStream extends FilterInputStream {
        NonClosingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
