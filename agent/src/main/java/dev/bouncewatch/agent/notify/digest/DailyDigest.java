package dev.bouncewatch.agent.notify.digest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.config.DigestConfig;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.ReadOnlyDatabase;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Stats;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily {@code report.digest}: counts, bounce rate, top reasons and domains, new suppressions
 * and alerts of the day before the scheduled time. The scheduled time last handled is stored with
 * the queued messages in one write, so a restart neither skips a digest nor sends it twice. After
 * a long outage only the latest missed digest goes out; on the very first start none is sent until
 * the next scheduled time.
 */
public final class DailyDigest {

    static final String SCHEDULE = "digest.daily";
    static final int MAX_DOMAINS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(DailyDigest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ISO_LOCAL_DATE;

    private final Store store;
    private final DigestSchedule schedule;
    private final List<Destination> destinations;
    private final String source;
    private final Clock clock;
    private final Runnable onEnqueued;

    public DailyDigest(Store store, DigestConfig config, List<Destination> destinations, String source, Clock clock,
                       Runnable onEnqueued) {
        this.store = store;
        this.schedule = new DigestSchedule(config.time(), config.timezone());
        this.destinations = List.copyOf(destinations);
        this.source = source;
        this.clock = clock;
        this.onEnqueued = onEnqueued;
    }

    /** Queues the digest when a scheduled time has passed that was not handled yet; true when it did. */
    public boolean tick() throws StoreException {
        Instant now = clock.instant();
        Instant due = schedule.latestAtOrBefore(now);
        Optional<Instant> last = lastHandled();
        if (last.isPresent() && !last.get().isBefore(due)) {
            return false;
        }
        if (last.isEmpty()) {
            store.write(tx -> {
                saveHandled(tx.connection(), due);
                return null;
            });
            LOG.info("daily digest: first start, the first one goes out at {}", schedule.next(now));
            return false;
        }
        NotificationEvent event = event(due, now);
        int queued = store.write(tx -> {
            Optional<Instant> again = handled(tx.connection());
            if (again.isPresent() && !again.get().isBefore(due)) {
                return -1; // someone else was faster
            }
            int n = 0;
            for (Destination d : destinations) {
                if (d.accepts(event)) {
                    tx.enqueue(OutboxEntry.pending(d.name(), event.id(), event.type(), event.groupKey(), d.render(event), now));
                    n++;
                }
            }
            saveHandled(tx.connection(), due);
            return n;
        });
        if (queued > 0) {
            onEnqueued.run();
        }
        if (queued >= 0) {
            LOG.info("daily digest for {} queued for {} destinations", event.data().path("period").path("label").asText(), queued);
        }
        return queued >= 0;
    }

    /** The digest event for the local day that ends at {@code until}. */
    NotificationEvent event(Instant until, Instant now) throws StoreException {
        Instant since = schedule.dayBefore(until);
        Stats stats = store.reader().stats(since, until, Duration.ofHours(1), MAX_DOMAINS);
        ObjectNode data = JSON.createObjectNode();
        String label = LABEL.format(since.atZone(schedule.zone()));
        data.putObject("period").put("label", label).put("since", since.toString()).put("until", until.toString())
                .put("timezone", schedule.zone().getId());
        data.put("total", stats.total());
        ObjectNode byStatus = data.putObject("byStatus");
        for (DeliveryStatus s : DeliveryStatus.values()) {
            byStatus.put(s.wireName(), stats.byStatus().getOrDefault(s, 0L));
        }
        long delivered = stats.byStatus().getOrDefault(DeliveryStatus.DELIVERED, 0L);
        long failed = stats.byStatus().getOrDefault(DeliveryStatus.BOUNCED, 0L) + stats.byStatus().getOrDefault(DeliveryStatus.EXPIRED, 0L);
        data.put("bounceRate", delivered + failed == 0 ? 0 : (double) failed / (delivered + failed));
        ArrayNode categories = data.putArray("byCategory");
        stats.byCategory().forEach(c -> categories.addObject().put("category", c.key()).put("count", c.count()));
        ArrayNode reasons = data.putArray("topReasons");
        for (Stats.Reason r : stats.topReasons()) {
            reasons.addObject().put("category", r.category()).put("status", r.dsn()).put("action", r.action())
                    .put("count", r.count()).put("sample", r.sample());
        }
        ArrayNode domains = data.putArray("topDomains");
        for (Stats.DomainCounts d : stats.byDomain()) {
            domains.addObject().put("domain", d.domain()).put("total", d.total()).put("delivered", d.delivered())
                    .put("deferred", d.deferred()).put("bounced", d.bounced()).put("bounceRate", d.bounceRate());
        }
        try (Connection c = ReadOnlyDatabase.open(store.file())) {
            data.put("newSuppressions", count(c, "SELECT count(*) FROM suppressions WHERE created_ms >= ? AND created_ms < ?",
                    since, until));
            data.put("suppressionsTotal", count(c, "SELECT count(*) FROM suppressions WHERE created_ms < ?", until));
            data.putObject("alerts")
                    .put("fired", count(c, "SELECT count(*) FROM alert_history WHERE fired_ms >= ? AND fired_ms < ?", since, until))
                    .put("resolved", count(c, "SELECT count(*) FROM alert_history WHERE resolved_ms >= ? AND resolved_ms < ?",
                            since, until))
                    .put("active", count(c, "SELECT count(*) FROM alert_groups WHERE state = 'firing'"));
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": reading the digest's counts failed: " + e.getMessage(), e);
        }
        // no group key: each day's digest is news of its own, not a newer state of the last one
        String id = "evt_digest_" + label.replace("-", "");
        return new NotificationEvent(id, EventType.REPORT_DIGEST.wireName(), now, NotificationEvent.SCHEMA_VERSION, source,
                data, null);
    }

    private Optional<Instant> lastHandled() throws StoreException {
        try (Connection c = ReadOnlyDatabase.open(store.file())) {
            return handled(c);
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": reading the digest schedule failed: " + e.getMessage(), e);
        }
    }

    private static Optional<Instant> handled(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT last_ms FROM notify_schedule WHERE name = ?")) {
            st.setString(1, SCHEDULE);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
            }
        }
    }

    private static void saveHandled(Connection c, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO notify_schedule (name, last_ms) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET last_ms = excluded.last_ms")) {
            st.setString(1, SCHEDULE);
            st.setLong(2, at.toEpochMilli());
            st.executeUpdate();
        }
    }

    private static long count(Connection c, String sql, Instant... times) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < times.length; i++) {
                st.setLong(i + 1, times[i].toEpochMilli());
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
