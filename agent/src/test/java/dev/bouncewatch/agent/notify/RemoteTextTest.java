package dev.bouncewatch.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemoteTextTest {

    @Test
    void boundsOnACodePointBoundary() {
        assertThat(RemoteText.bounded("short", 10)).isEqualTo("short");
        assertThat(RemoteText.bounded("abcdefghij", 5)).isEqualTo("abcd…");
        String emoji = "ab\uD83D\uDEABcd"; // 🚫 is a surrogate pair at index 2..3
        assertThat(RemoteText.bounded(emoji, 4)).isEqualTo("ab…");
        assertThat(RemoteText.bounded(null, 3)).isNull();
    }

    @Test
    void makesControlCharactersVisible() {
        assertThat(RemoteText.escapeControls("a\nb\tc\\d\u0000\u001b[2J\u0085\u2028\u202e"))
                .isEqualTo("a\\nb\\tc\\\\d\\u0000\\u001b[2J\\u0085\\u2028\\u202e");
        assertThat(RemoteText.escapeControls("plain ünïcode ✓")).isEqualTo("plain ünïcode ✓");
    }
}
