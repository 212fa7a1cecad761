package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.config.SourceConfig;
import dev.bouncewatch.agent.parse.MtaChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auto-detection on fake hosts: a temporary directory as the root and a stand-in for postconf. */
class SourceDetectorTest {

    private static final SourceConfig.Auto AUTO = new SourceConfig.Auto(Duration.ofMillis(250));

    @TempDir
    Path root;

    private final List<List<String>> commandsRun = new ArrayList<>();
    private String maillogFile; // what postconf -h maillog_file prints; null: postconf fails

    private SourceDetector detector() {
        return new SourceDetector(root, command -> {
            commandsRun.add(command);
            return Optional.ofNullable(maillogFile);
        });
    }

    private Path file(String hostPath) throws IOException {
        Path p = root.resolve(hostPath.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, "");
        return p;
    }

    private Path executable(String hostPath) throws IOException {
        Path p = file(hostPath);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void debianWithRsyslogReadsMailLog() throws IOException {
        Path mailLog = file("/var/log/mail.log");
        executable("/usr/bin/journalctl");
        Files.createDirectories(root.resolve("run/log/journal"));

        SourceDetector.Detection found = detector().detect(AUTO);

        // the journal is there too, but reading it beside rsyslog's copy would count every line twice
        assertThat(found.sources()).containsExactly(new SourceConfig.File(mailLog, MtaChoice.AUTO, Duration.ofMillis(250)));
        assertThat(found.description()).contains(mailLog + ": found");
    }

    @Test
    void everyExistingLogIsRead() throws IOException {
        Path mailLog = file("/var/log/mail.log");
        Path exim = file("/var/log/exim4/mainlog");

        assertThat(detector().detect(AUTO).sources()).containsExactly(
                new SourceConfig.File(mailLog, MtaChoice.AUTO, Duration.ofMillis(250)),
                new SourceConfig.File(exim, MtaChoice.EXIM, Duration.ofMillis(250)));
    }

    @Test
    void rhelMaillogAndOpenSuseMailLogAreFound() throws IOException {
        Path maillog = file("/var/log/maillog");
        Path suse = file("/var/log/mail/mail.log");

        assertThat(detector().detect(AUTO).sources()).extracting(s -> ((SourceConfig.File) s).path())
                .containsExactly(maillog, suse);
    }

    @Test
    void postfixMaillogFileIsReadEvenBeforeItExists() throws IOException {
        executable("/usr/sbin/postconf");
        maillogFile = "/var/log/postfix.log\n";

        SourceDetector.Detection found = detector().detect(AUTO);

        Path postfixLog = root.resolve("var/log/postfix.log");
        assertThat(found.sources()).containsExactly(new SourceConfig.File(postfixLog, MtaChoice.POSTFIX, Duration.ofMillis(250)));
        assertThat(found.description()).contains("Postfix maillog_file").contains("does not exist yet");
        assertThat(commandsRun).containsExactly(List.of(root.resolve("usr/sbin/postconf").toString(), "-h", "maillog_file"));
    }

    @Test
    void aMaillogFileThatIsAlsoACandidateIsReadOnce() throws IOException {
        Path mailLog = file("/var/log/mail.log");
        executable("/usr/sbin/postconf");
        maillogFile = "/var/log/mail.log";

        SourceDetector.Detection found = detector().detect(AUTO);

        assertThat(found.sources()).containsExactly(new SourceConfig.File(mailLog, MtaChoice.AUTO, Duration.ofMillis(250)));
        assertThat(found.description()).contains("already read");
    }

    @Test
    void maillogFileToStdoutUnsetOrFailingPostconfIsNoFile() throws IOException {
        executable("/usr/sbin/postconf");
        for (String value : new String[] {"/dev/stdout", "", "relative.log", null}) {
            maillogFile = value;
            assertThat(detector().detect(AUTO).sources()).as("maillog_file=%s", value).isEmpty();
        }
    }

    @Test
    void withoutPostconfNothingIsRun() throws IOException {
        file("/var/log/mail.log");
        maillogFile = "/var/log/postfix.log";

        detector().detect(AUTO);

        assertThat(commandsRun).isEmpty();
    }

    @Test
    void debian12WithoutRsyslogReadsTheJournal() throws IOException {
        Path journalctl = executable("/usr/bin/journalctl");
        Files.createDirectories(root.resolve("var/log/journal"));

        SourceDetector.Detection found = detector().detect(AUTO);

        assertThat(found.sources()).containsExactly(new SourceConfig.Journal(SourceConfig.Journal.DEFAULT_UNITS, List.of(), journalctl.toString(), null));
        assertThat(found.description()).contains("systemd journal").contains(root.resolve("var/log/journal").toString());
    }

    @Test
    void journalctlWithoutAJournalDirectoryIsNothing() throws IOException {
        executable("/usr/bin/journalctl");

        SourceDetector.Detection found = detector().detect(AUTO);

        assertThat(found.sources()).isEmpty();
        assertThat(found.description()).contains("no mail log file").contains("/var/log/mail.log")
                .contains("no systemd journal directory").contains("type: file");
    }

    @Test
    void anEmptyHostFindsNothingAndSaysWhatToDo() {
        SourceDetector.Detection found = detector().detect(AUTO);

        assertThat(found.sources()).isEmpty();
        assertThat(found.description()).contains("/usr/bin/journalctl is missing").contains("sources: [{type: file, path: ...}]");
    }

    @Test
    void anUnreadableLogIsTakenWithAWarning() throws IOException {
        Path mailLog = file("/var/log/mail.log");
        Files.setPosixFilePermissions(mailLog, PosixFilePermissions.fromString("---------"));
        boolean readable = Files.isReadable(mailLog); // root reads everything

        SourceDetector.Detection found = detector().detect(AUTO);

        assertThat(found.sources()).hasSize(1);
        if (!readable) {
            // the explanation of ReadAccess: who cannot read it and the fix
            assertThat(found.description()).contains(mailLog + ": found, but " + mailLog + " is ", "cannot read it; fix:");
        } else {
            assertThat(found.description()).doesNotContain("cannot read");
        }
    }

    @Test
    void aDirectoryNamedLikeALogIsNotALog() throws IOException {
        Files.createDirectories(root.resolve("var/log/mail.log"));

        assertThat(detector().detect(AUTO).sources()).isEmpty();
    }

    @Test
    void runsPostconfForReal() {
        assertThat(SourceDetector.runCommand(List.of("sh", "-c", "echo /var/log/postfix.log"))).contains("/var/log/postfix.log\n");
        assertThat(SourceDetector.runCommand(List.of("sh", "-c", "exit 1"))).isEmpty();
        assertThat(SourceDetector.runCommand(List.of(root.resolve("missing").toString()))).isEmpty();
    }
}
