package dev.bouncewatch.agent.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A stand-in for journalctl: a shell script that records its arguments and pid per run, prints what
 * the test prepared for that run (stdout, stderr), then exits with the prepared code or sleeps until
 * killed, as a following journalctl does.
 */
final class FakeJournalctl {

    private final Path dir;
    private final Path script;

    FakeJournalctl(Path dir) throws IOException {
        this.dir = dir;
        this.script = dir.resolve("journalctl");
        String text = """
                #!/bin/sh
                D='%s'
                n=1
                while [ -e "$D/args.$n" ]; do n=$((n+1)); done
                echo $$ > "$D/pid.$n"
                printf '%%s\\n' "$@" > "$D/args.$n.tmp" && mv "$D/args.$n.tmp" "$D/args.$n"
                [ -f "$D/err.$n" ] && cat "$D/err.$n" >&2
                [ -f "$D/out.$n" ] && cat "$D/out.$n"
                [ -f "$D/exit.$n" ] && exit "$(cat "$D/exit.$n")"
                [ -f "$D/exit.all" ] && exit "$(cat "$D/exit.all")"
                exec sleep 600
                """.formatted(dir);
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    String command() {
        return script.toString();
    }

    /** Run {@code n} (from 1) prints these JSON lines. */
    FakeJournalctl stdout(int n, List<String> lines) throws IOException {
        Files.writeString(dir.resolve("out." + n), lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
        return this;
    }

    FakeJournalctl stderr(int n, String text) throws IOException {
        Files.writeString(dir.resolve("err." + n), text + "\n");
        return this;
    }

    /** Run {@code n} exits with this code after printing, instead of following. */
    FakeJournalctl exit(int n, int code) throws IOException {
        Files.writeString(dir.resolve("exit." + n), Integer.toString(code));
        return this;
    }

    /** Every run without its own exit code exits with this one. */
    FakeJournalctl exitAlways(int code) throws IOException {
        Files.writeString(dir.resolve("exit.all"), Integer.toString(code));
        return this;
    }

    boolean started(int n) {
        return Files.exists(dir.resolve("args." + n));
    }

    List<String> args(int n) {
        try {
            return Files.readAllLines(dir.resolve("args." + n), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid(int n) {
        try {
            return Long.parseLong(Files.readString(dir.resolve("pid." + n)).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
