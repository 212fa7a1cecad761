package dev.bouncewatch.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopKeysTest {

    private static TopKeys<Tally> tallies(int capacity) {
        return new TopKeys<>(capacity, Tally::new, Tally::weight, Tally::mergeInto);
    }

    @Test
    void heavyKeysSurviveFoldingAndNothingIsLost() {
        TopKeys<Tally> keys = tallies(10);
        long total = 0;
        for (int i = 0; i < 100_000; i++) {
            String key = i % 4 == 0 ? "heavy-" + (i % 3) : "rare-" + i;
            keys.of(key).add(false);
            total++;
            assertThat(keys.size()).isLessThanOrEqualTo(20);
        }

        long kept = keys.entries().stream().mapToLong(e -> e.getValue().count).sum();
        assertThat(kept + keys.other().count).isEqualTo(total);
        assertThat(keys.entries().subList(0, 3)).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("heavy-0", "heavy-1", "heavy-2");
        assertThat(keys.entries().get(0).getValue().count + keys.entries().get(1).getValue().count
                + keys.entries().get(2).getValue().count).isEqualTo(25_000);
        assertThat(keys.foldedKeys()).isPositive();
    }

    @Test
    void underCapacityEveryCountIsExact() {
        TopKeys<Tally> keys = tallies(10);
        for (int i = 0; i < 15; i++) {
            for (int n = 0; n <= i; n++) {
                keys.of("k" + i).add(n % 2 == 0);
            }
        }

        assertThat(keys.foldedKeys()).isZero();
        assertThat(keys.other().count).isZero();
        assertThat(keys.entries().get(0).getKey()).isEqualTo("k14");
        assertThat(keys.entries().get(0).getValue().count).isEqualTo(15);
        assertThat(keys.entries().get(0).getValue().hardBounces).isEqualTo(8);
    }
}
