package dev.bouncewatch.agent.parse;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast formatter must write exactly what Instant.toString() writes. */
class InstantTextTest {

    @Test
    void sameTextAsToStringForRandomAndEdgeInstants() {
        InstantText text = new InstantText();
        SplittableRandom random = new SplittableRandom(42);
        long[] seconds = {0, -1, 1_732_848_000L, -62167219200L, -62167219201L, 253402300799L, 253402300800L,
            951_782_400L /* 2000-02-29 */, 4_102_444_799L};
        int[] nanos = {0, 1, 999_999_999, 1_000, 1_000_000, 90_445_000, 123_456_789, 500_000_000};
        for (long s : seconds) {
            for (int n : nanos) {
                Instant t = Instant.ofEpochSecond(s, n);
                assertThat(text.format(t)).as("%s", t).isEqualTo(t.toString());
            }
        }
        long second = 1_700_000_000L;
        for (int i = 0; i < 20_000; i++) { // mostly increasing, sometimes the same second, sometimes back
            second += random.nextInt(-2, 5);
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            assertThat(text.format(t)).isEqualTo(t.toString());
        }
        for (int i = 0; i < 5_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62167219200L, 253402300800L), random.nextInt(1_000_000_000));
            assertThat(text.format(t)).isEqualTo(t.toString());
        }
    }
}
