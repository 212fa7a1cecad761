package dev.bouncewatch.agent.run;

import dev.bouncewatch.agent.store.StoreTransaction;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.sql.SQLException;
import java.util.Optional;

/** Decides, inside the batch's transaction, whether a just-inserted result suppresses its recipient. */
@FunctionalInterface
public interface SuppressionDecider {

    /** The entry this result added to the list, if it added one. */
    Optional<Suppression> apply(StoreTransaction tx, StoredResult result) throws SQLException;

    SuppressionDecider NEVER = (tx, result) -> Optional.empty();
}
