package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilePositionTest {

    private static final byte[] HEAD = "Nov 29 10:15:00 mx postfix/smtp[4242]: 4F1B22A0C9: to=<a@b.c>, status=sent\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void formatsAndParsesBack() {
        FilePosition position = new FilePosition(FileIdentity.of("(dev=803,ino=1234)", HEAD, HEAD.length), 52311);
        String text = position.format();
        assertThat(text).startsWith("file/1 offset=52311 head=" + HEAD.length + ":").endsWith(" key=(dev=803,ino=1234)");
        assertThat(FilePosition.parse(text)).isEqualTo(position);
    }

    @Test
    void aMissingFileKeyIsWrittenAsDash() {
        FilePosition position = new FilePosition(FileIdentity.of(null, HEAD, 10), 0);
        assertThat(position.format()).endsWith(" key=-");
        assertThat(FilePosition.parse(position.format()).identity().fileKey()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|not a 'file/1",
        "garbage|not a 'file/1",
        "file/2 offset=1 head=0:e3b0c44298fc1c14 key=-|not a 'file/1",
        "file/1 offset=x head=0:e3b0c44298fc1c14 key=-|offset 'x' is not a number",
        "file/1 offset=-5 head=0:e3b0c44298fc1c14 key=-|offset -5 is negative",
        "file/1 offset=5 head=e3b0c44298fc1c14 key=-|is not LENGTH:HASH",
        "file/1 offset=5 head=2000:e3b0c44298fc1c14 key=-|head length 2000 outside 0..1024",
        "file/1 offset=5 head=0:E3B0 key=-|is not 16 hex digits",
        "file/1 offset=5 hash=0:e3b0c44298fc1c14 key=-|expected 'head='",
        "file/1 offset=5 head=0:e3b0c44298fc1c14 inode=7|expected 'key='",
        "file/1 offset=99999999999999999999 head=0:e3b0c44298fc1c14 key=-|is not a number",
    })
    void garbageIsRejectedWithTheReason(String text, String reason) {
        assertThatThrownBy(() -> FilePosition.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> FilePosition.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aYoungFilesIdentityStillMatchesOnceTheFileHasGrown() {
        FileIdentity young = FileIdentity.of("(dev=1,ino=2)", HEAD, 20);
        assertThat(young.headLength()).isEqualTo(20);
        assertThat(young.matches("(dev=1,ino=2)", HEAD, HEAD.length)).isTrue();
        FileIdentity grown = young.widened(HEAD, HEAD.length);
        assertThat(grown.headLength()).isEqualTo(HEAD.length);
        assertThat(grown.matches("(dev=1,ino=2)", HEAD, 20)).as("fewer bytes than the head covers").isFalse();
    }

    @Test
    void otherFirstBytesOrAnotherInodeDoNotMatch() {
        FileIdentity identity = FileIdentity.of("(dev=1,ino=2)", HEAD, HEAD.length);
        byte[] other = HEAD.clone();
        other[5] = '1';
        assertThat(identity.matches("(dev=1,ino=2)", other, other.length)).isFalse();
        assertThat(identity.matches("(dev=1,ino=3)", HEAD, HEAD.length)).isFalse();
        assertThat(identity.matches(null, HEAD, HEAD.length)).as("unknown key: the head decides").isTrue();
    }
}
