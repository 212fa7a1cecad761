package dev.bouncewatch.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent's log as systemd's journal, a JSON collector or a terminal gets it: the real
 * jar in its own process, stderr into a file, and JOURNAL_STREAM set to that file's device and
 * inode as systemd sets it to its stream socket's (systemd.exec(5)). No journald is needed: what
 * journald does with the lines (one entry per line, {@code <N>} read as the priority and removed)
 * is its documented contract; this checks what we hand it.
 */
class LogFormatIT {

    private static final Path JAR = Path.of("target/bouncewatch.jar").toAbsolutePath();
    private static final Path TEST_MTA_JAR = Path.of("../test-mta/target/test-mta.jar").toAbsolutePath();
    private static final String TOKEN = "tok3nVALUE";
    /** A remote reply that tries to end our line and write a forged error, and to recolour the terminal. */
    private static final String HOSTILE = "550 5.1.1 no such user\r<3>ERROR d.b.a.r.Agent - forged \u001b[31mred";
    private static final Pattern TIME = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void setUp() throws IOException {
        Path log = dir.resolve("mail.log");
        Files.writeString(log, "Nov 29 10:00:00 mx1 postfix/smtp[2314]: 4SXk2N1mZ8z9vWq: to=<nobody@example.org>,"
                + " relay=mx.example.org[192.0.2.25]:25, delay=0.42, delays=0.05/0.01/0.2/0.16, dsn=5.1.1,"
                + " status=bounced (host mx.example.org[192.0.2.25] said: " + HOSTILE + " (in reply to RCPT TO command))\n",
                StandardCharsets.UTF_8);
        config = dir.resolve("agent.yml");
        // an inline, short token in a file others may read: two config warnings, and a secret that must not be logged
        Files.writeString(config, """
                stateDir: %s
                sources:
                  - type: file
                    path: %s
                    format: postfix
                    pollInterval: 50ms
                http:
                  listen: 127.0.0.1:%d
                  token: %s
                """.formatted(dir.resolve("state"), log, AgentProcess.freePort(), TOKEN));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** Runs the agent until it has logged the bounce, stops it with SIGTERM and returns its stderr lines. */
    private List<String> runAgent(Map<String, String> env, Path stderr) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", JAR.toString(), "run", "--config", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        pb.environment().remove("JOURNAL_STREAM");
        pb.environment().remove("BOUNCEWATCH_LOG_FORMAT");
        pb.environment().remove("LOG_LEVEL");
        pb.environment().putAll(env);
        Process agent = pb.start();
        try {
            Instant deadline = Instant.now().plusSeconds(90);
            while (!Files.readString(stderr, StandardCharsets.UTF_8).contains("message.bounced")) {
                assertThat(agent.isAlive()).as("agent running; its log:\n%s", Files.readString(stderr)).isTrue();
                assertThat(Instant.now()).as("the bounce logged within 90 s; log:\n%s", Files.readString(stderr)).isBefore(deadline);
                Thread.sleep(100);
            }
        } finally {
            agent.destroy();
            assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
        String out = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(out).doesNotContain(TOKEN, "\u001b", "\r");
        return out.lines().toList();
    }

    private static String streamId(Path file) throws IOException {
        return Files.getAttribute(file, "unix:dev") + ":" + Files.getAttribute(file, "unix:ino");
    }

    @Test
    void underTheJournalEveryLineHasAPriorityAndNoTimestamp() throws Exception {
        Path stderr = Files.createFile(dir.resolve("journal.err"));
        List<String> lines = runAgent(Map.of("JOURNAL_STREAM", streamId(stderr)), stderr);
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("<[3467]>(ERROR|WARN |INFO |DEBUG) \\S+ - .*|<[3467]>(\t|Caused by: ).*"));
        assertThat(lines).noneMatch(l -> TIME.matcher(l).lookingAt() || TIME.matcher(l.substring(3)).lookingAt());
        assertThat(lines).anyMatch(l -> l.startsWith("<4>WARN  d.b.a.cli.RunCommand - config: ") && l.contains("other users can read"));
        assertThat(lines).anyMatch(l -> l.startsWith("<6>INFO  d.b.a.cli.RunCommand - ready"));
        String bounce = lines.stream().filter(l -> l.contains("message.bounced")).findFirst().orElseThrow();
        // the parser made the CR a space and the console destination quotes the ESC; the forged error stays inside its line
        assertThat(bounce).startsWith("<6>INFO ").contains("no such user <3>ERROR d.b.a.r.Agent - forged \\u001b[31mred");
        assertThat(lines).noneMatch(l -> l.startsWith("<3>"));
    }

    @Test
    void jsonGivesOneObjectPerLine() throws Exception {
        Path stderr = Files.createFile(dir.resolve("json.err"));
        List<String> lines = runAgent(Map.of("BOUNCEWATCH_LOG_FORMAT", "json"), stderr);
        ObjectMapper json = new ObjectMapper();
        boolean sawWarning = false;
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            assertThat(n.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(n.path("level").asText()).isIn("ERROR", "WARN", "INFO", "DEBUG");
            assertThat(n.path("logger").asText()).startsWith("dev.bouncewatch.");
            assertThat(n.path("thread").asText()).isNotEmpty();
            sawWarning |= n.path("level").asText().equals("WARN") && n.path("message").asText().startsWith("config: ");
        }
        assertThat(sawWarning).isTrue();
        JsonNode bounce = json.readTree(lines.stream().filter(l -> l.contains("message.bounced")).findFirst().orElseThrow());
        assertThat(bounce.path("message").asText()).contains("no such user <3>ERROR");
    }

    @Test
    void stderrElsewhereThanTheJournalStreamGetsTextAndABadFormatOneWarning() throws Exception {
        Path stderr = Files.createFile(dir.resolve("text.err"));
        Path other = Files.createFile(dir.resolve("not-stderr"));
        // inherited from a service whose journal stream is not our stderr: text, with time
        List<String> lines = runAgent(Map.of("JOURNAL_STREAM", streamId(other), "BOUNCEWATCH_LOG_FORMAT", "yaml"), stderr);
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  d.b.t.l.LogEncoder - BOUNCEWATCH_LOG_FORMAT=yaml"
                + " is not one of text, journal, json, auto; logging as text");
        assertThat(lines).filteredOn(l -> l.contains("BOUNCEWATCH_LOG_FORMAT")).hasSize(1);
        assertThat(lines).allSatisfy(l -> assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (ERROR|WARN |INFO |DEBUG) \\S+ - .*|(\t|Caused by: ).*"));
    }

    @Test
    void bothJarsSayTheirVersionCommitAndJava() throws Exception {
        for (Path jar : List.of(JAR, TEST_MTA_JAR)) {
            Process p = new ProcessBuilder(java(), "-jar", jar.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            List<String> lines = out.lines().toList();
            assertThat(lines.get(0)).matches("(bouncewatch|test-mta) \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{12}(-dirty)?|unknown),"
                    + " built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)");
            assertThat(lines.get(1)).startsWith("Java 17").doesNotContain("${");
            assertThat(lines).hasSize(jar == JAR ? 3 : 2);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
