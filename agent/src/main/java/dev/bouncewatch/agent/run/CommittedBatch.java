package dev.bouncewatch.agent.run;

import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.util.List;

/** What one commit stored: for metrics and logs, after the transaction. */
public record CommittedBatch(List<StoredResult> results, List<Suppression> newSuppressions, int lines) {

    public CommittedBatch {
        results = List.copyOf(results);
        newSuppressions = List.copyOf(newSuppressions);
    }
}
