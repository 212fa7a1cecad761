package dev.bouncewatch.testmta.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStreamTest {

    @Test
    void matchesOnlyTheDeviceAndInodeOfTheStream(@TempDir Path dir) throws Exception {
        Path stream = Files.writeString(dir.resolve("stream"), "");
        Path other = Files.writeString(dir.resolve("other"), "");
        String id = Files.getAttribute(stream, "unix:dev") + ":" + Files.getAttribute(stream, "unix:ino");
        assertThat(JournalStream.matches(id, stream)).isTrue();
        assertThat(JournalStream.matches(id, other)).isFalse();
    }

    @Test
    void garbageOrNothingIsNotTheJournal(@TempDir Path dir) throws Exception {
        Path stream = Files.writeString(dir.resolve("stream"), "");
        for (String bad : new String[] {null, "", "12345", "a:b", ":", "1:2:3", "-1:-1", "99999999999999999999999:1"}) {
            assertThat(JournalStream.matches(bad, stream)).as(bad).isFalse();
        }
        assertThat(JournalStream.matches("1:1", dir.resolve("missing"))).isFalse();
    }
}
