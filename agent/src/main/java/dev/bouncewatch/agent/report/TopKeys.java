package dev.bouncewatch.agent.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Per-key statistics with bounded memory: "keep the N heaviest keys and an other bucket". When the
 * map holds twice its capacity it keeps the {@code capacity} heaviest keys and folds the rest into
 * {@link #other()}, so totals stay exact while memory stays at most 2 x capacity entries. A key that
 * was folded and comes back starts again from zero: rare keys can be under-counted, heavy keys are not
 * (the same trade-off as lossy counting).
 *
 * @param <V> mutable statistics of one key
 */
final class TopKeys<V> {

    private final int capacity;
    private final Supplier<V> factory;
    private final ToLongFunction<V> weight;
    /** (source, target): adds the source's counts to the target's. */
    private final BiConsumer<V, V> mergeInto;
    private final Map<String, V> stats = new HashMap<>();
    private final V other;
    private long foldedKeys;

    TopKeys(int capacity, Supplier<V> factory, ToLongFunction<V> weight, BiConsumer<V, V> mergeInto) {
        this.capacity = capacity;
        this.factory = factory;
        this.weight = weight;
        this.mergeInto = mergeInto;
        this.other = factory.get();
    }

    /** The statistics of {@code key}, created empty when new. */
    V of(String key) {
        V v = stats.get(key);
        if (v == null) {
            if (stats.size() >= 2 * capacity) {
                foldLightest();
            }
            v = factory.get();
            stats.put(key, v);
        }
        return v;
    }

    private void foldLightest() {
        List<Map.Entry<String, V>> entries = sortedByWeight();
        for (Map.Entry<String, V> e : entries.subList(capacity, entries.size())) {
            mergeInto.accept(e.getValue(), other);
            stats.remove(e.getKey());
            foldedKeys++;
        }
    }

    private List<Map.Entry<String, V>> sortedByWeight() {
        List<Map.Entry<String, V>> entries = new ArrayList<>(stats.entrySet());
        entries.sort(Comparator.comparingLong((Map.Entry<String, V> e) -> weight.applyAsLong(e.getValue()))
                .reversed().thenComparing(Map.Entry::getKey));
        return entries;
    }

    /** All tracked keys, heaviest first (at most 2 x capacity). */
    List<Map.Entry<String, V>> entries() {
        return sortedByWeight();
    }

    /** What was folded away from keys no longer tracked. */
    V other() {
        return other;
    }

    /** How many times a key was folded into {@link #other()}: 0 means every count is exact. */
    long foldedKeys() {
        return foldedKeys;
    }

    int size() {
        return stats.size();
    }
}
