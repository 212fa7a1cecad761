package dev.bouncewatch.testmta.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
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

    @Test
    void enhancedCodeCheckAgreesWithTheRfc3463Grammar() {
        Pattern grammar = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");
        List<String> inputs = new ArrayList<>(List.of("5.1.1", "2.0.0", "4.7.11", "5.123.456", "5.1", "5..1", ".1.1",
                "5.1.", "5.1.1 ", " 5.1.1", "5.1234.1", "5.1.1234", "6.1.1", "3.1.1", "5.1.1a", "5-1-1", "5.\u0661.1",
                "", "5", "5.", "55.1.1", "5.1.1.1"));
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            // near misses around class.subject.detail: wrong class, separators, digit counts, suffixes
            StringBuilder b = new StringBuilder();
            b.append("2345 6a".charAt(random.nextInt(7)));
            b.append(random.nextInt(6) == 0 ? "x" : ".");
            b.append("0123456789".repeat(1), 0, random.nextInt(5));
            b.append(random.nextInt(6) == 0 ? "-" : ".");
            for (int n = random.nextInt(5); n > 0; n--) {
                b.append((char) ('0' + random.nextInt(10)));
            }
            if (random.nextInt(8) == 0) {
                b.append(random.nextBoolean() ? " " : "7");
            }
            inputs.add(b.toString());
        }
        int valid = 0;
        for (String s : inputs) {
            boolean expected = grammar.matcher(s).matches();
            assertThat(Reply.isEnhancedCode(s)).as("'%s'", s).isEqualTo(expected);
            valid += expected ? 1 : 0;
        }
        assertThat(valid).as("the sample holds valid codes too").isGreaterThan(1000);
        assertThat(Reply.isEnhancedCode(null)).isFalse();
    }
}
