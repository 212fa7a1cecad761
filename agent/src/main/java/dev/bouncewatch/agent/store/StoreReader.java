package dev.bouncewatch.agent.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Read-only queries; safe from any thread, run beside the writer (WAL). */
public interface StoreReader {

    Optional<String> checkpoint(String sourceId) throws StoreException;

    ResultPage results(ResultQuery query) throws StoreException;

    /**
     * Counts for results with MTA time in [since, until).
     *
     * @param bucket     timeline bucket width
     * @param maxDomains at most this many domains in {@link Stats#byDomain()}
     */
    Stats stats(Instant since, Instant until, Duration bucket, int maxDomains) throws StoreException;

    Optional<Suppression> suppression(String address) throws StoreException;

    /** The list, newest first; {@code contains} filters addresses (case-insensitive), null for all. */
    List<Suppression> suppressions(String contains, int limit, int offset) throws StoreException;

    long suppressionCount() throws StoreException;

    /**
     * The list in address order, for exports: the entries after {@code afterAddress} (null to start),
     * at most {@code limit}. Paging by address stays correct while entries are added or removed.
     */
    List<Suppression> suppressionsByAddress(String afterAddress, int limit) throws StoreException;

    StoreSize size() throws StoreException;

    /**
     * Sizes for metrics and health.
     *
     * @param fileBytes database file plus its WAL
     */
    record StoreSize(long fileBytes, long results, long suppressions, long outboxPending, long outboxDead) {
    }
}
