package dev.bouncewatch.agent.source;

import static dev.bouncewatch.agent.source.TestLogs.append;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatedFileFinderTest {

    @TempDir
    Path dir;

    private static FileIdentity identityOf(Path file) throws Exception {
        byte[] content = Files.readAllBytes(file);
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return FileIdentity.of(key, content, content.length);
    }

    private List<String> names(List<RotatedFileFinder.Sibling> siblings) {
        return siblings.stream().map(s -> s.path().getFileName().toString()).toList();
    }

    @Test
    void listsRotatedSiblingsOldestFirstAndIgnoresOtherFiles() throws Exception {
        for (String name : List.of("mail.log", "mail.log.1", "mail.log.2.gz", "mail.log.10.gz", "mail.log.bak",
                "mail.log.1.swp", "mail.login", "mail.err", "mail.log-20261129", "mail.log-20261130.gz",
                "mail.log-2026113012", "maillog.20261129-101500")) {
            append(dir.resolve(name), name);
        }
        Files.createDirectory(dir.resolve("mail.log.3"));

        List<RotatedFileFinder.Sibling> siblings = new RotatedFileFinder(dir.resolve("mail.log")).siblings();

        assertThat(names(siblings)).containsExactly("mail.log.10.gz", "mail.log.2.gz", "mail.log.1",
                "mail.log-20261129", "mail.log-20261130.gz", "mail.log-2026113012");
        assertThat(siblings.get(0).compressed()).isTrue();
        assertThat(siblings.get(0).rotationName()).isEqualTo("mail.log.10");
        assertThat(names(new RotatedFileFinder(dir.resolve("maillog")).siblings()))
                .containsExactly("maillog.20261129-101500");
    }

    @Test
    void findsTheRenamedFileAndTheOnesRotatedAfterIt() throws Exception {
        Path log = dir.resolve("mail.log");
        append(log, "generation A, line 1");
        FileIdentity a = identityOf(log);
        Files.move(log, dir.resolve("mail.log.1"));
        append(log, "generation B, line 1");
        Files.move(dir.resolve("mail.log.1"), dir.resolve("mail.log.2"));
        Files.move(log, dir.resolve("mail.log.1"));
        append(log, "generation C, line 1");
        TestLogs.gzip(dir.resolve("mail.log.1"));

        RotatedFileFinder.Match match = new RotatedFileFinder(log).find(a).orElseThrow();

        assertThat(match.sibling().path().getFileName().toString()).isEqualTo("mail.log.2");
        assertThat(names(match.newer())).containsExactly("mail.log.1.gz");
    }

    @Test
    void findsACompressedCopyByItsFirstBytes() throws Exception {
        Path log = dir.resolve("mail.log");
        append(log, TestLogs.numbered("line ", 1, 40));
        FileIdentity identity = identityOf(log);
        TestLogs.copyTruncate(log, dir.resolve("mail.log-20261129"));
        TestLogs.gzip(dir.resolve("mail.log-20261129"));

        RotatedFileFinder.Match match = new RotatedFileFinder(log).find(identity).orElseThrow();

        assertThat(match.sibling().path().getFileName().toString()).isEqualTo("mail.log-20261129.gz");
        assertThat(match.sibling().compressed()).isTrue();
        assertThat(match.newer()).isEmpty();
    }

    @Test
    void prefersAPlainCopyToItsCompressedTwin() throws Exception {
        Path log = dir.resolve("mail.log");
        append(log, "same content");
        FileIdentity identity = identityOf(log);
        Files.copy(log, dir.resolve("mail.log.1"));
        Files.copy(log, dir.resolve("twin"));
        Files.move(TestLogs.gzip(dir.resolve("twin")), dir.resolve("mail.log.1.gz"));

        RotatedFileFinder.Match match = new RotatedFileFinder(log).find(identity).orElseThrow();

        assertThat(match.sibling().path().getFileName().toString()).isEqualTo("mail.log.1");
    }

    @Test
    void aCutOffGzipIsNoMatch() throws Exception {
        Path log = dir.resolve("mail.log");
        append(log, "same content");
        FileIdentity identity = identityOf(log);
        Files.write(dir.resolve("mail.log.1.gz"), new byte[] {0x1f, (byte) 0x8b}); // gzip just started

        assertThat(new RotatedFileFinder(log).find(identity)).isEmpty();
    }

    @Test
    void nothingMatchesOtherContentOrAnEmptyHeadOfAnotherInode() throws Exception {
        Path log = dir.resolve("mail.log");
        append(dir.resolve("mail.log.1"), "something else entirely");
        append(log, "current");
        RotatedFileFinder finder = new RotatedFileFinder(log);

        assertThat(finder.find(identityOf(log))).isEmpty();
        FileIdentity emptyOfUnknownInode = FileIdentity.of("(dev=1,ino=999999)", new byte[0], 0);
        assertThat(finder.find(emptyOfUnknownInode)).isEmpty();
        byte[] head = "something else".getBytes(StandardCharsets.US_ASCII);
        assertThat(finder.find(FileIdentity.of(null, head, head.length))).isPresent();
    }
}
