package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.config.SourceConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalCommandTest {

    private static final SourceConfig.Journal DEFAULT = new SourceConfig.Journal(null, null, null, null);

    @Test
    void aFirstStartFollowsFromNowWithTheMtaUnitsOrTheMailFacility() {
        assertThat(JournalCommand.build(DEFAULT, null, null, null)).containsExactly("journalctl", "--output=json", "--all",
                "--no-pager", "--follow", "--merge", "--lines=0", "_SYSTEMD_UNIT=postfix.service", "_SYSTEMD_UNIT=postfix@-.service",
                "_SYSTEMD_UNIT=exim4.service", "_SYSTEMD_UNIT=exim.service", "_SYSTEMD_UNIT=opensmtpd.service",
                "_SYSTEMD_UNIT=sendmail.service", "+", "SYSLOG_FACILITY=2");
    }

    @Test
    void aCursorResumesAfterItWithoutTheTenLineTail() {
        List<String> command = JournalCommand.build(DEFAULT, "s=ab;i=1f", Instant.ofEpochSecond(5), null);

        assertThat(command).contains("--after-cursor=s=ab;i=1f", "--no-tail").doesNotContain("--lines=0")
                .noneMatch(a -> a.startsWith("--since"));
    }

    @Test
    void withoutACursorARestartResumesAtTheFirstStartTime() {
        assertThat(JournalCommand.build(DEFAULT, null, Instant.ofEpochSecond(1700000000L, 900_000_000), null))
                .contains("--since=@1700000000", "--no-tail").doesNotContain("--lines=0");
    }

    @Test
    void theConfigsDefaultIsTheDefault() {
        SourceConfig.Journal fromConfig = new SourceConfig.Journal(SourceConfig.Journal.DEFAULT_UNITS, List.of(),
                SourceConfig.Journal.DEFAULT_JOURNALCTL, null);

        assertThat(JournalCommand.build(fromConfig, null, null, null)).isEqualTo(JournalCommand.build(DEFAULT, null, null, null));
    }

    @Test
    void configuredUnitsAndIdentifiersReplaceTheDefaultsAndAreOred() {
        SourceConfig.Journal both = new SourceConfig.Journal(List.of("postfix@out.service"),
                List.of("postfix-out/smtp", "postfix-out/qmgr"), "/opt/bin/journalctl", Path.of("/srv/journal"));

        assertThat(JournalCommand.build(both, null, null, "3d1219c7c4c5404aaa1f6d2a48adfda4")).containsExactly("/opt/bin/journalctl", "--output=json", "--all",
                "--no-pager", "--follow", "--merge", "--directory=/srv/journal", "--lines=0", "_SYSTEMD_UNIT=postfix@out.service", "+",
                "SYSLOG_IDENTIFIER=postfix-out/smtp", "SYSLOG_IDENTIFIER=postfix-out/qmgr");
        assertThat(JournalCommand.matches(new SourceConfig.Journal(List.of(), List.of("exim"), null, null)))
                .containsExactly("SYSLOG_IDENTIFIER=exim");
    }

    @Test
    void theSystemJournalIsNarrowedToThisMachineInEveryGroup() {
        List<String> command = JournalCommand.build(DEFAULT, null, null, "3d1219c7c4c5404aaa1f6d2a48adfda4");

        assertThat(command.subList(command.indexOf("--lines=0") + 1, command.size())).containsExactly(
                "_SYSTEMD_UNIT=postfix.service", "_SYSTEMD_UNIT=postfix@-.service", "_SYSTEMD_UNIT=exim4.service",
                "_SYSTEMD_UNIT=exim.service", "_SYSTEMD_UNIT=opensmtpd.service", "_SYSTEMD_UNIT=sendmail.service",
                "_MACHINE_ID=3d1219c7c4c5404aaa1f6d2a48adfda4", "+", "SYSLOG_FACILITY=2",
                "_MACHINE_ID=3d1219c7c4c5404aaa1f6d2a48adfda4");
    }

    @Test
    void readsTheMachineId(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        Path file = dir.resolve("machine-id");
        java.nio.file.Files.writeString(file, "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        assertThat(JournalCommand.machineId(file)).isEqualTo("3d1219c7c4c5404aaa1f6d2a48adfda4");
        java.nio.file.Files.writeString(file, "uninitialized\n");
        assertThat(JournalCommand.machineId(file)).isNull();
        assertThat(JournalCommand.machineId(dir.resolve("missing"))).isNull();
    }

    @Test
    void theDefaultUnitsSpelledOutAreTheDefault() {
        List<String> units = new java.util.ArrayList<>(JournalCommand.DEFAULT_UNITS);
        java.util.Collections.reverse(units);
        SourceConfig.Journal spelled = new SourceConfig.Journal(units, List.of(), " ", null);

        assertThat(JournalCommand.matches(spelled)).isEqualTo(JournalCommand.matches(DEFAULT));
        assertThat(JournalCommand.executable(spelled)).isEqualTo("journalctl");
        assertThat(JournalSource.idOf(spelled)).isEqualTo("journal:system");
    }

    @Test
    void idsTellJournalsAndMatchesApart() {
        assertThat(JournalSource.idOf(DEFAULT)).isEqualTo("journal:system");
        assertThat(JournalSource.idOf(new SourceConfig.Journal(null, null, null, Path.of("/srv/j")))).isEqualTo("journal:/srv/j");
        assertThat(JournalSource.idOf(new SourceConfig.Journal(List.of("postfix@out.service"), List.of("exim"), null, null)))
                .isEqualTo("journal:system:unit=postfix@out.service identifier=exim");
    }
}
