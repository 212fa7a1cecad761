package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.model.DeliveryResult;
import java.time.Instant;
import java.util.Objects;

/**
 * A classified delivery result as the store keeps it.
 *
 * @param id         row id, increasing in commit order; 0 before insertion
 * @param source     the {@code Source.id()} it came from
 * @param ingestedAt when the agent committed it
 */
public record StoredResult(long id, String source, Instant ingestedAt, DeliveryResult result,
                           Classification classification) {

    public StoredResult {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ingestedAt, "ingestedAt");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(classification, "classification");
    }

    public StoredResult withId(long newId) {
        return new StoredResult(newId, source, ingestedAt, result, classification);
    }
}
