package dev.bouncewatch.agent.source;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** What logrotate, rsyslog and Postfix do to a log file, done to files in a test directory. */
final class TestLogs {

    /** Short polls and quiet period so rotation tests run fast; deadlines stay generous. */
    static final FileSourceOptions FAST = FileSourceOptions.defaults()
            .withPollInterval(Duration.ofMillis(20))
            .withRotationQuietPeriod(Duration.ofMillis(100));

    private TestLogs() {
    }

    /** Appends each line and an LF, as one write (rsyslog writes a line at once). */
    static void append(Path file, String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        appendRaw(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void append(Path file, List<String> lines) {
        append(file, lines.toArray(String[]::new));
    }

    static void appendRaw(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> numbered(String prefix, int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            lines.add(prefix + i + " postfix/smtp[4242]: 4F1B22A0C9: to=<user" + i + "@example.org>, status=sent");
        }
        return lines;
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    /** logrotate {@code compress}: writes {@code file.gz}, then removes {@code file}. */
    static Path gzip(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(file, out);
        }
        Files.delete(file);
        return gz;
    }

    /** logrotate {@code copytruncate}: copy the content aside, then empty the file in place (same inode). */
    static void copyTruncate(Path file, Path copy) throws IOException {
        Files.copy(file, copy);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }
}
