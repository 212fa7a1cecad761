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

        Path log = root.resolve("mail.log");
        try (Source file = factory.create(new SourceConfig.File(log, MtaChoice.AUTO, Duration.ofMillis(250)))) {
            assertThat(file).isInstanceOf(FileSource.class);
            assertThat(file.id()).isEqualTo("file:" + log);
        }
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
    void anAutoDetectedLogIsFollowed() throws IOException {
        Path mailLog = root.resolve("var/log/mail.log");
        Files.createDirectories(mailLog.getParent());
        String line = "2024-01-05T12:00:01.123456+01:00 mail postfix/smtp[1234]: 4SXk2N1mZ8z9vWq: to=<a@example.org>,"
                + " relay=mx.example.org[192.0.2.25]:25, delay=0.4, delays=0/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok)";
        Files.writeString(mailLog, line + "\n");
        CollectingListener listener = new CollectingListener();

        SourceFactory.Created created = factory().createAll(List.of(new SourceConfig.Auto(Duration.ofMillis(50))));
        try (Source source = created.sources().get(0)) {
            source.start(null, listener);
            Await.until("the line", () -> listener.lines().contains(line), listener::lines);
        }
    }

    @Test
    void autoIsOnlyExpandedByCreateAll() {
        assertThatThrownBy(() -> factory().create(new SourceConfig.Auto(null))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDetectedLogAlsoNamedInTheConfigIsFollowedOnce() throws IOException {
        Path mailLog = root.resolve("var/log/mail.log");
        Files.createDirectories(mailLog.getParent());
        Files.writeString(mailLog, "");

        SourceFactory.Created created = factory().createAll(List.of(new SourceConfig.Auto(Duration.ofMillis(250)),
                new SourceConfig.File(mailLog, MtaChoice.POSTFIX, null)));

        assertThat(created.sources()).singleElement().isInstanceOf(FileSource.class)
                .extracting(Source::id).isEqualTo("file:" + mailLog);
        assertThat(created.notes()).last().isEqualTo("file:" + mailLog + " is configured twice; read once");
        created.sources().forEach(Source::close);
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
