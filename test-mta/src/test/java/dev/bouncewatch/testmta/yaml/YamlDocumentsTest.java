package dev.bouncewatch.testmta.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.MappingNode;

class YamlDocumentsTest {

    @Test
    void composesAMappingAndAnEmptyDocumentIsNull() {
        Problems problems = new Problems("t.yaml");
        assertThat(YamlDocuments.compose("a: 1\nb: [x, y]\n", problems, 1000, "a test")).isInstanceOf(MappingNode.class);
        assertThat(YamlDocuments.compose("# only a comment\n", problems, 1000, "a test")).isNull();
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void aSyntaxErrorIsAProblemWithItsLine() {
        Problems problems = new Problems("t.yaml");
        assertThat(YamlDocuments.compose("a: 1\nb: [x, y\n", problems, 1000, "a test")).isNull();
        assertThat(problems.sorted()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("t.yaml");
            assertThat(p.line()).isGreaterThan(1);
            assertThat(p.message()).startsWith("YAML syntax:");
        });
    }

    @Test
    void aliasBombsAndDeepNestingAreProblemsNotCrashes() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x]\n");
        for (int i = 0; i < 60; i++) {
            bomb.append("b").append(i).append(": &b").append(i).append(" [*a, *a]\n");
        }
        Problems aliases = new Problems("bomb.yaml");
        assertThat(YamlDocuments.compose(bomb.toString(), aliases, 1_000_000, "a test")).isNull();
        assertThat(aliases.isEmpty()).isFalse();

        Problems deep = new Problems("deep.yaml");
        assertThat(YamlDocuments.compose("[".repeat(200_000), deep, 1_000_000, "a test")).isNull();
        assertThat(deep.sorted()).isNotEmpty();
    }

    @Test
    void strictUtf8RefusesMalformedBytes() throws CharacterCodingException {
        assertThat(YamlDocuments.strictUtf8("grüße".getBytes(StandardCharsets.UTF_8))).isEqualTo("grüße");
        assertThatThrownBy(() -> YamlDocuments.strictUtf8(new byte[] {'a', (byte) 0xC3, '(', 'b'}))
                .isInstanceOf(CharacterCodingException.class);
    }
}
