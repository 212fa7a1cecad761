package dev.bouncewatch.agent.source;

import dev.bouncewatch.agent.model.DeliveryResult;
import java.util.ArrayList;
import java.util.List;

/** Keeps every batch a source hands over. */
final class CollectingListener implements SourceListener {

    private final List<SourceBatch> batches = new ArrayList<>();

    @Override
    public synchronized void onBatch(SourceBatch batch) {
        batches.add(batch);
    }

    synchronized List<SourceBatch> batches() {
        return List.copyOf(batches);
    }

    synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        batches.forEach(b -> out.addAll(b.lines()));
        return out;
    }

    synchronized List<DeliveryResult> results() {
        List<DeliveryResult> out = new ArrayList<>();
        batches.forEach(b -> out.addAll(b.results()));
        return out;
    }

    synchronized String lastPosition() {
        return batches.isEmpty() ? null : batches.get(batches.size() - 1).position();
    }
}
