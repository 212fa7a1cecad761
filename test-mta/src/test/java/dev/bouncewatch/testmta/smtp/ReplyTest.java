package dev.bouncewatch.testmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void parsesCodeEnhancedCodeAndText() {
        Reply r = Reply.parse("550 5.1.1 <bob@example.test>: Recipient address rejected");
        assertThat(r.code()).isEqualTo(550);
        assertThat(r.enhancedCode()).isEqualTo("5.1.1");
        assertThat(r.lines()).containsExactly("<bob@example.test>: Recipient address rejected");
    }

    @Test
    void parsesCodeAlone() {
        Reply r = Reply.parse("250");
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.enhancedCode()).isNull();
        assertThat(r.lines()).containsExactly("");
    }

    @Test
    void textStartingWithDigitsIsNotAnEnhancedCode() {
        Reply r = Reply.parse("451 4.7.1 greylisted\nsecond line");
        assertThat(r.lines()).isEqualTo(List.of("greylisted", "second line"));
        assertThat(Reply.parse("552 1 Requested mail action aborted").enhancedCode()).isNull();
    }

    @Test
    void rejectsEnhancedCodeOfAnotherClass() {
        assertThatThrownBy(() -> Reply.parse("550 4.1.1 no"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another class");
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> Reply.parse("hello")).hasMessageContaining("expected a reply");
        assertThatThrownBy(() -> Reply.parse("999 x")).hasMessageContaining("expected a reply");
    }
}
