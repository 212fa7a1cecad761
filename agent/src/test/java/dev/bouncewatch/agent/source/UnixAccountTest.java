package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixAccountTest {

    @TempDir
    Path dir;

    private UnixNames names() throws IOException {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/bash
                # a comment line
                bouncewatch:x:105:112:bouncewatch agent:/var/lib/bouncewatch:/usr/sbin/nologin
                broken-line
                """);
        Files.writeString(dir.resolve("etc/group"), """
                adm:x:4:syslog,bouncewatch
                systemd-journal:x:101:
                bouncewatch:x:112:
                mail:x:8:postfix
                """);
        return UnixNames.under(dir);
    }

    @Test
    void theCurrentAccountIsTheFileSystemUidAndGidWithTheSupplementaryGroups() throws IOException {
        Path status = Files.writeString(dir.resolve("status"), """
                Name:\tjava
                Uid:\t0\t105\t105\t105
                Gid:\t0\t112\t112\t112
                FDSize:\t64
                Groups:\t4 101\s
                """);
        UnixAccount me = UnixAccount.current(status, names()).orElseThrow();
        assertThat(me.name()).isEqualTo("bouncewatch");
        assertThat(me.uid()).isEqualTo(105);
        assertThat(me.isRoot()).isFalse();
        assertThat(me.groups()).containsExactlyInAnyOrder(4, 101, 112);
        assertThat(me.inGroup(101)).isTrue();
        assertThat(me.inGroup(8)).isFalse();
    }

    @Test
    void anUnknownUidIsNamedByItsNumberAndAStatusWithoutIdsGivesNothing() throws IOException {
        Path status = Files.writeString(dir.resolve("status"), "Uid:\t4242\t4242\t4242\t4242\nGid:\t7\t7\t7\t7\nGroups:\n");
        assertThat(UnixAccount.current(status, names()).orElseThrow().name()).isEqualTo("4242");
        assertThat(UnixAccount.current(Files.writeString(dir.resolve("empty"), "Name:\tx\n"), names())).isEmpty();
        assertThat(UnixAccount.current(dir.resolve("missing"), names())).isEmpty();
    }

    @Test
    void aNamedAccountCollectsTheGroupsThatListIt() throws IOException {
        UnixAccount bw = UnixAccount.named("bouncewatch", names()).orElseThrow();
        assertThat(bw.uid()).isEqualTo(105);
        assertThat(bw.groups()).containsExactlyInAnyOrder(112, 4);
        assertThat(UnixAccount.named("postfix", names())).isEmpty();
        assertThat(names().groupName(101)).isEqualTo("systemd-journal");
        assertThat(names().groupName(999)).isEqualTo("999");
    }

    @Test
    void theJournalIsReadableForMembersOfAdmOrSystemdJournalAndRoot() throws IOException {
        ReadAccess access = new ReadAccess(names());
        assertThat(access.journalProblem(UnixAccount.named("bouncewatch", names()).orElseThrow())).isEmpty();
        assertThat(access.journalProblem(UnixAccount.named("root", names()).orElseThrow())).isEmpty();
        UnixAccount outsider = new UnixAccount("mailman", 300, 300, java.util.Set.of(300, 8));
        assertThat(access.journalProblem(outsider)).hasValueSatisfying(p -> assertThat(p)
                .startsWith("user mailman (groups mail,300) is not in group systemd-journal or adm")
                .endsWith("fix: sudo usermod -aG systemd-journal mailman, then restart the agent"));
    }
}
