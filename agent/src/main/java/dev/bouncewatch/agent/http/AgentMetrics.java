package dev.bouncewatch.agent.http;

import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.parse.SkipReason;
import dev.bouncewatch.agent.source.SourceHealth;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoreReader;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.testmta.events.PrometheusText;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent in Prometheus text format. The pipeline feeds the delivery and suppression counters as
 * it commits; everything else (sources, store, notifier) is read from {@link AgentStatus} and the
 * store at scrape time. Labels stay bounded: status and category are closed vocabularies, the
 * recipient domain is reduced to a {@link DomainGroups} group, and sources come from the config.
 */
public final class AgentMetrics {

    public static final String CONTENT_TYPE = PrometheusText.CONTENT_TYPE;
    static final String OTHER_CATEGORY = "other";

    private record DeliveryKey(String status, String category, String domainGroup) {
    }

    private static final Comparator<DeliveryKey> KEY_ORDER = Comparator.comparing(DeliveryKey::status)
            .thenComparing(DeliveryKey::category).thenComparing(DeliveryKey::domainGroup);

    private final DomainGroups domainGroups;
    private final ConcurrentHashMap<DeliveryKey, LongAdder> deliveries = new ConcurrentHashMap<>();
    private final LongAdder suppressionsAdded = new LongAdder();

    public AgentMetrics() {
        this(DomainGroups.defaults());
    }

    public AgentMetrics(DomainGroups domainGroups) {
        this.domainGroups = Objects.requireNonNull(domainGroups, "domainGroups");
    }

    /** Counts committed results; call after the transaction that stored them committed. */
    public void recordResults(List<StoredResult> results) {
        for (StoredResult r : results) {
            DeliveryKey key = new DeliveryKey(r.result().status().wireName(), category(r.classification().category()),
                    domainGroups.groupOf(r.result().recipientDomain(), r.classification().signals()));
            deliveries.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
    }

    /** Counts addresses newly put on the suppression list (by bounces or by hand). */
    public void recordSuppressions(int added) {
        if (added < 0) {
            throw new IllegalArgumentException("added must not be negative, was " + added);
        }
        suppressionsAdded.add(added);
    }

    /** A category outside the known vocabulary (a future rule file) must not open a new series per typo. */
    private static String category(String category) {
        return Category.fromWireName(category).map(Category::wireName).orElse(OTHER_CATEGORY);
    }

    /** The whole exposition: every family has HELP and TYPE, even before its first sample. */
    public String scrape(AgentStatus status, StoreReader store) {
        PrometheusText t = new PrometheusText();
        t.family("process_start_time_seconds", "gauge", "Start time of the agent since the Unix epoch, in seconds.");
        t.sample("process_start_time_seconds", seconds(status.startedAt()));
        writeDeliveries(t);
        writeSources(t, status.sources());
        writeStore(t, store);
        t.family("bouncewatch_notifier_queue", "gauge",
                "Notifications not delivered yet, per destination.");
        new TreeMap<>(status.notifierQueue()).forEach((destination, n) ->
                t.sample("bouncewatch_notifier_queue", n, "destination", destination));
        return t.toString();
    }

    private void writeDeliveries(PrometheusText t) {
        t.family("bouncewatch_deliveries_total", "counter",
                "Delivery results committed since the agent started, by status, classification category and recipient provider group.");
        deliveries.entrySet().stream().sorted(Map.Entry.comparingByKey(KEY_ORDER)).forEach(e ->
                t.sample("bouncewatch_deliveries_total", e.getValue().sum(), "status", e.getKey().status(),
                        "category", e.getKey().category(), "domain_group", e.getKey().domainGroup()));
        t.family("bouncewatch_suppressions_added_total", "counter",
                "Addresses put on the suppression list since the agent started.");
        t.sample("bouncewatch_suppressions_added_total", suppressionsAdded.sum());
    }

    private static void writeSources(PrometheusText t, List<AgentStatus.SourceStatus> sources) {
        t.family("bouncewatch_source_up", "gauge",
                "1 when the source is reading or waiting by design for its file or journal, 0 when failing or stopped.");
        for (AgentStatus.SourceStatus s : sources) {
            SourceHealth h = s.health();
            t.sample("bouncewatch_source_up", HealthEndpoint.healthy(h.state()) ? 1 : 0, "source", h.id(), "type", h.type());
        }
        t.family("bouncewatch_source_state", "gauge", "1 for the state the source is in, 0 for the others.");
        for (AgentStatus.SourceStatus s : sources) {
            for (SourceHealth.State state : SourceHealth.State.values()) {
                t.sample("bouncewatch_source_state", s.health().state() == state ? 1 : 0,
                        "source", s.health().id(), "state", lower(state));
            }
        }
        t.family("bouncewatch_source_lag_bytes", "gauge", "Bytes in the file not yet read (file sources only).");
        for (AgentStatus.SourceStatus s : sources) {
            if (s.health().lagBytes() != null) {
                t.sample("bouncewatch_source_lag_bytes", s.health().lagBytes(), "source", s.health().id());
            }
        }
        t.family("bouncewatch_source_lag_seconds", "gauge",
                "How long the oldest line read but not yet committed has waited, in seconds.");
        sources.forEach(s -> t.sample("bouncewatch_source_lag_seconds", s.lagSeconds(), "source", s.health().id()));
        t.family("bouncewatch_source_last_line_timestamp_seconds", "gauge",
                "MTA time of the newest committed result, since the Unix epoch, in seconds.");
        for (AgentStatus.SourceStatus s : sources) {
            if (s.lastLineTime() != null) {
                t.sample("bouncewatch_source_last_line_timestamp_seconds", seconds(s.lastLineTime()),
                        "source", s.health().id());
            }
        }
        t.family("bouncewatch_source_lines_read_total", "counter", "Lines the source handed to the pipeline since start.");
        sources.forEach(s -> t.sample("bouncewatch_source_lines_read_total", s.health().linesRead(), "source", s.health().id()));
        t.family("bouncewatch_lines_committed_total", "counter", "Lines whose results are committed to the store.");
        sources.forEach(s -> t.sample("bouncewatch_lines_committed_total", s.committedLines(), "source", s.health().id()));
        t.family("bouncewatch_source_results_total", "counter", "Delivery results committed from the source.");
        sources.forEach(s -> t.sample("bouncewatch_source_results_total", s.results(), "source", s.health().id()));
        t.family("bouncewatch_lines_skipped_total", "counter",
                "Lines that gave no result and were not understood, by reason (garbage, too long, unrecognised ...).");
        for (AgentStatus.SourceStatus s : sources) {
            for (SkipReason reason : SkipReason.values()) {
                t.sample("bouncewatch_lines_skipped_total", s.skipped().getOrDefault(reason, 0L),
                        "source", s.health().id(), "reason", lower(reason));
            }
        }
        t.family("bouncewatch_lines_invalid_utf8_total", "counter",
                "Lines with invalid UTF-8 (decoded with replacement characters and still parsed).");
        sources.forEach(s -> t.sample("bouncewatch_lines_invalid_utf8_total", s.invalidUtf8(), "source", s.health().id()));
        t.family("bouncewatch_source_errors_total", "counter", "Read errors of the source since start.");
        sources.forEach(s -> t.sample("bouncewatch_source_errors_total", s.health().errors(), "source", s.health().id()));
    }

    private static void writeStore(PrometheusText t, StoreReader store) {
        StoreReader.StoreSize size;
        try {
            size = store.size();
        } catch (StoreException e) {
            size = null; // the scrape still answers; store_up says why the store gauges are missing
        }
        t.family("bouncewatch_store_up", "gauge", "1 when the store answered this scrape.");
        t.sample("bouncewatch_store_up", size == null ? 0 : 1);
        // each family's samples must follow its own TYPE line, so a failed read leaves them empty
        t.family("bouncewatch_store_size_bytes", "gauge", "Size of the SQLite database file plus its WAL, in bytes.");
        if (size != null) {
            t.sample("bouncewatch_store_size_bytes", size.fileBytes());
        }
        t.family("bouncewatch_store_results", "gauge", "Delivery results kept in the store (after retention).");
        if (size != null) {
            t.sample("bouncewatch_store_results", size.results());
        }
        t.family("bouncewatch_suppressions", "gauge", "Addresses on the suppression list.");
        if (size != null) {
            t.sample("bouncewatch_suppressions", size.suppressions());
        }
        t.family("bouncewatch_outbox_entries", "gauge", "Notification outbox rows by state.");
        if (size != null) {
            t.sample("bouncewatch_outbox_entries", size.outboxPending(), "state", "pending");
            t.sample("bouncewatch_outbox_entries", size.outboxDead(), "state", "dead");
        }
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
