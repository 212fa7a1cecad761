package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.agent.config.SourceConfig;
import dev.bouncewatch.agent.parse.MtaChoice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFactoryTest {

    @TempDir
    Path root;

    private SourceFactory factory() {
        return new SourceFactory(new SourceDetector(root, command -> Optional.empty()));
    }

    private void journalHost() throws IOException {
        Path journalctl = root.resolve("usr/bin/journalctl");
        Files.createDirectories(journalctl.getParent());
        Files.writeString(journalctl, "");
        Files.setPosixFilePermissions(journalctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(root.resolve("run/log/journal"));
    }

    @Test
    void buildsTheSourceOfEachType() {
        SourceFactory factory = factory();

        assertThat(factory.create(new SourceConfig.Journal(null, null, null, null))).isInstanceOf(JournalSource.class)
                .extracting(Source::id).isEqualTo("journal:system");
        try (Source sink = factory.create(new SourceConfig.Sink(new InetSocketAddress("127.0.0.1", 2525), null))) {
            assertThat(sink).isInstanceOf(SinkSource.class);
            assertThat(sink.id()).isEqualTo("sink:127.0.0.1:2525");
        }
    }

    @Test
    void autoBecomesWhatTheDetectorFindsAndDuplicatesAreReadOnce() throws IOException {
        journalHost();
        SourceFactory.Created created = factory().createAll(List.of(new SourceConfig.Auto(null),
                new SourceConfig.Journal(List.of(), null, null, null),
                new SourceConfig.Sink(new InetSocketAddress("127.0.0.1", 2525), null)));

        assertThat(created.sources()).extracting(Source::id).containsExactly("journal:system", "sink:127.0.0.1:2525");
        assertThat(created.notes()).hasSize(2);
        assertThat(created.notes().get(0)).contains("systemd journal");
        assertThat(created.notes().get(1)).isEqualTo("journal:system is configured twice; read once");
        created.sources().forEach(Source::close);
    }

    @Test
    void autoIsOnlyExpandedByCreateAll() {
        assertThatThrownBy(() -> factory().create(new SourceConfig.Auto(null))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFileSourceIsNotInThisBuildYet() {
        assertThatThrownBy(() -> factory().create(new SourceConfig.File(root.resolve("mail.log"), MtaChoice.AUTO,
                Duration.ofMillis(250)))).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("FileSource");
    }

    @Test
    void aBadEntryFailsTheWholeSet() throws IOException {
        Path bad = root.resolve("bad.yaml");
        Files.writeString(bad, "version: 7\n");

        assertThatThrownBy(() -> factory().createAll(List.of(new SourceConfig.Journal(null, null, null, null),
                new SourceConfig.Sink(new InetSocketAddress("127.0.0.1", 0), bad))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad.yaml");
    }
}
