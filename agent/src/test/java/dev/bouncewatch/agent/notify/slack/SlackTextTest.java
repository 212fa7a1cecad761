package dev.bouncewatch.agent.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlackTextTest {

    @Test
    void escapesOnlySlacksThreeControlCharactersAmpersandFirst() {
        assertThat(SlackText.escape("a & b <!channel> > c &amp; \"q\" 'x'"))
                .isEqualTo("a &amp; b &lt;!channel&gt; &gt; c &amp;amp; \"q\" 'x'");
    }

    @Test
    void codeSpanNeutralisesMentionsLinksAndBackticks() {
        String hostile = "550 `<!channel>` <@U123> <https://evil.example|click here> *bold* ```block```";
        String code = SlackText.code(hostile, 500);
        assertThat(code).startsWith("`").endsWith("`");
        assertThat(code.substring(1, code.length() - 1)).doesNotContain("`", "<", ">");
        assertThat(code).contains("&lt;!channel&gt;", "&lt;@U123&gt;", "&lt;https://evil.example|click here&gt;");
    }

    @Test
    void codeSpanIsOneLineWithoutControlOrBidiCharacters() {
        String code = SlackText.code("line1\nline2\r\n\ttab\u0000nul\u202Eevil\u2066x", 500);
        assertThat(code).isEqualTo("`line1 line2   tab nul evil x`");
    }

    @Test
    void emptyOrBlankUntrustedTextStillMakesAValidSpan() {
        assertThat(SlackText.code(null, 10)).isEqualTo("`-`");
        assertThat(SlackText.code(" \n ", 10)).isEqualTo("`-`");
    }

    @Test
    void cuttingHappensBeforeEscapingSoNoEntityIsHalved() {
        String code = SlackText.code("<<<<<<<<<<", 5);
        assertThat(code).isEqualTo("`&lt;&lt;&lt;&lt;…`");
    }

    @Test
    void cutNeverSplitsASurrogatePair() {
        String s = "ab\uD83D\uDE00cdef"; // a b 😀 c d e f
        String cut = SlackText.cut(s, 4);
        assertThat(cut).isEqualTo("ab…");
        assertThat(cut.length()).isLessThanOrEqualTo(4);
    }
}
