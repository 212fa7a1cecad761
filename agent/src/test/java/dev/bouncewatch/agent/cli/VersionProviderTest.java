package dev.bouncewatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionProviderTest {

    @Test
    void versionNamesBuildJavaAndTheSchemaThisBuildWrites() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new BouncewatchCommand());
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--version")).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).matches("bouncewatch \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{12}(-dirty)?|unknown), "
                + "built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)");
        assertThat(lines[1]).startsWith("Java " + System.getProperty("java.runtime.version"));
        // the schema the migrations in this jar end at (001-initial.sql and later)
        int files = new java.io.File("src/main/resources/store/migrations").list((d, n) -> n.matches("\\d{3}-.*\\.sql")).length;
        assertThat(lines[2]).isEqualTo("database schema version " + files);
    }
}
