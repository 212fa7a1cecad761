package dev.bouncewatch.testmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int check(String... args) {
        CommandLine cli = new CommandLine(new TestMtaCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 1];
        full[0] = "check";
        System.arraycopy(args, 0, full, 1, args.length);
        return cli.execute(full);
    }

    @Test
    void validFileExitsZeroWithOneLineSummary() throws Exception {
        Path f = dir.resolve("ok.yml");
        Files.writeString(f, """
                seed: 5
                rules:
                  - id: a
                    when: { stage: rcpt, rcpt: "nobody@*" }
                    then: { reply: "@gmail.no_such_user" }
                  - id: b
                    when: { stage: [connect, data_end] }
                    then: { delay: 1s }
                """);
        assertThat(check(f.toString())).isZero();
        assertThat(out.toString().lines()).containsExactly(f + ": OK, 2 rules at connect, rcpt, data_end, magic addresses on, seed 5");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void invalidFileExitsOneWithEachProblemOnItsOwnLine() throws Exception {
        Path f = dir.resolve("bad.yml");
        Files.writeString(f, """
                rules:
                  - id: a
                    when: { stage: rcpt, rcpt: "nobody@*" }
                    then: { reply: "@gmail.no_such_usr" }
                  - id: b
                    when: { stage: rcpt, hedaer: { x: y } }
                    then: { accept: true }
                """);
        assertThat(check(f.toString())).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith(f + ":4:20: rules[0].then.reply: no catalogue entry named 'gmail.no_such_usr'");
        assertThat(lines.get(1)).startsWith(f + ":6:26: rules[1].when.hedaer: unknown key 'hedaer' (did you mean header?)");
        assertThat(lines.get(2)).isEqualTo("2 problems in " + f);
    }

    @Test
    void everyShippedExamplePasses() throws Exception {
        try (var files = Files.list(Path.of("examples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
                assertThat(check(f.toString())).as(f + "\n" + err).isZero();
            }
        }
    }

    @Test
    void missingFileExitsOne() {
        assertThat(check(dir.resolve("absent.yml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("absent.yml:0:0: cannot read the file");
    }

    @Test
    void missingArgumentIsAUsageError() {
        assertThat(check()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
    }
}
