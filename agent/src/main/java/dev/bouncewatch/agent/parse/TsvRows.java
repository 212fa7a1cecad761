package dev.bouncewatch.agent.parse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the agent's small tab-separated data files (month names, stage phrases, reason masks):
 * blank lines and {@code #} comment lines are skipped, and every other row is handed over split on
 * tabs (empty fields kept) with its line number, so errors can name the file and line.
 */
public final class TsvRows {

    private TsvRows() {
    }

    /** Receives one data row. */
    @FunctionalInterface
    public interface Row {
        void accept(int lineNo, String[] fields);
    }

    /** Reads every data row of a UTF-8 stream. */
    public static void read(InputStream in, Row row) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNo = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            row.accept(lineNo, line.split("\t", -1));
        }
    }

    /** Reads a resource next to {@code owner}; a missing resource is a packaging bug, so it throws. */
    public static void readResource(Class<?> owner, String resource, Row row) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            read(in, row);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
