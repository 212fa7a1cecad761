package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Keeps every batch a source hands over, for assertions; can wait for lines to arrive. */
class RecordingListener implements SourceListener {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final List<SourceBatch> batches = new CopyOnWriteArrayList<>();

    @Override
    public void onBatch(SourceBatch batch) {
        batches.add(batch);
    }

    List<SourceBatch> batches() {
        return List.copyOf(batches);
    }

    List<String> lines() {
        List<String> all = new ArrayList<>();
        for (SourceBatch batch : batches) {
            all.addAll(batch.lines());
        }
        return all;
    }

    /** The position of the last batch, what a pipeline would have committed; null before the first. */
    String lastPosition() {
        return batches.isEmpty() ? null : batches.get(batches.size() - 1).position();
    }

    /** Waits until at least {@code count} lines arrived, then returns all lines. */
    List<String> awaitLines(int count) {
        await(() -> lines().size() >= count, "at least " + count + " lines");
        return lines();
    }

    /** Waits until the lines received are exactly {@code expected}. */
    void awaitExactly(List<String> expected) {
        await(() -> lines().size() >= expected.size(), expected.size() + " lines");
        assertThat(lines()).containsExactlyElementsOf(expected);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
