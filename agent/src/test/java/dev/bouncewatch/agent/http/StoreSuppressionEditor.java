package dev.bouncewatch.agent.http;

import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.Suppression;
import java.time.Clock;
import java.time.Instant;

/** What the agent's wiring does for manual edits, done directly on the store's transaction. */
final class StoreSuppressionEditor implements SuppressionEditor {

    private final Store store;
    private final Clock clock;

    StoreSuppressionEditor(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Suppression add(String address, String reason) throws StoreException {
        Instant now = clock.instant();
        return store.write(tx -> {
            Instant created = tx.suppression(address).map(Suppression::createdAt).orElse(now);
            Suppression s = new Suppression(address, Suppression.ORIGIN_MANUAL, reason, null, created, now, null, null,
                    null, null, 1);
            tx.suppress(s);
            return s;
        });
    }

    @Override
    public boolean remove(String address) throws StoreException {
        return store.write(tx -> tx.unsuppress(address));
    }
}
