package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.model.DeliveryStatus;
import java.time.Instant;
import java.util.Set;

/**
 * A filter over stored results, newest first. Null or empty fields do not filter.
 *
 * @param since      MTA time at or after
 * @param until      MTA time before
 * @param statuses   any of these
 * @param category   classification category
 * @param recipient  exact address, case-insensitive
 * @param domain     recipient domain, case-insensitive
 * @param beforeId   paging cursor: only rows with a smaller id ({@link ResultPage#nextBeforeId()})
 * @param limit      1..1000
 */
public record ResultQuery(Instant since, Instant until, Set<DeliveryStatus> statuses, String category,
                          String recipient, String domain, Long beforeId, int limit) {

    public static final int MAX_LIMIT = 1000;

    public ResultQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
    }

    public static ResultQuery latest(int limit) {
        return new ResultQuery(null, null, Set.of(), null, null, null, null, limit);
    }
}
