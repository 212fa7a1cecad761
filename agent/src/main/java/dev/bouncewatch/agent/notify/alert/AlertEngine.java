package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.config.AlertsConfig;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.ReadOnlyDatabase;
import dev.bouncewatch.agent.notify.alert.AlertGrouper.Decision;
import dev.bouncewatch.agent.notify.alert.AlertGrouper.Notification;
import dev.bouncewatch.agent.notify.alert.AlertGrouper.Reason;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoreTransaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules over recent results and turns changes into notifications. One
 * evaluation reads on its own read-only connection, then, in one store write, loads the persisted
 * group state and mutes, decides with {@link AlertGrouper}, saves the new state and queues one
 * outbox entry per accepting destination: state and messages commit together, so a crash between
 * them can neither lose a message nor send it twice. Not thread-safe: one scheduler calls it.
 */
public final class AlertEngine {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);
    /** Rules whose alerts a blocklisting can explain (Alertmanager's inhibit target matchers). */
    static final Set<String> INHIBITABLE = Set.of(DeferralSpikeRule.ID, BounceRateRule.SENDER, BounceRateRule.RECIPIENT);
    static final String HELD_BY_MUTE = "mute";
    private static final Duration KEEP_HISTORY = Duration.ofDays(7);

    /** What one evaluation did, for logs and tests. */
    public record Evaluation(Instant at, int active, int notifications, int enqueued, Set<String> failedRules) {
    }

    private final Store store;
    private final List<AlertRule> rules;
    private final Set<String> knownRules;
    private final AlertGrouper grouper;
    private final AlertEvents events;
    private final List<Destination> destinations;
    private final ProviderDirectory providers = ProviderDirectory.builtIn();
    private final Clock clock;
    private final Runnable onEnqueued;

    /**
     * @param destinations every configured destination; each decides with {@code accepts} what it takes
     * @param onEnqueued   called after a write that queued entries (wakes the outbox workers)
     */
    public AlertEngine(Store store, AlertsConfig config, List<Destination> destinations, HealthSignals health,
                       String host, Clock clock, Runnable onEnqueued) {
        this(store, rules(config, health), new GroupTimers(config.groupWait(), config.groupInterval(), config.repeatInterval()),
                destinations, host, clock, onEnqueued);
    }

    AlertEngine(Store store, List<AlertRule> rules, GroupTimers timers, List<Destination> destinations, String host,
                Clock clock, Runnable onEnqueued) {
        this.store = store;
        this.rules = List.copyOf(rules);
        Set<String> ids = new HashSet<>();
        rules.forEach(r -> ids.addAll(r.ids()));
        this.knownRules = Set.copyOf(ids);
        this.grouper = new AlertGrouper(timers);
        this.events = new AlertEvents(host);
        this.destinations = List.copyOf(destinations);
        this.clock = clock;
        this.onEnqueued = onEnqueued;
    }

    /** The enabled rules of the config. */
    static List<AlertRule> rules(AlertsConfig c, HealthSignals health) {
        List<AlertRule> out = new ArrayList<>();
        if (!c.enabled()) {
            return out;
        }
        if (c.senderBounceRate().enabled()) {
            out.add(BounceRateRule.bySender(c.senderBounceRate()));
        }
        if (c.recipientBounceRate().enabled()) {
            out.add(BounceRateRule.byRecipient(c.recipientBounceRate()));
        }
        if (c.blocklisted().enabled()) {
            out.add(new BlocklistRule(c.blocklisted()));
        }
        if (c.deferralSpike().enabled()) {
            out.add(new DeferralSpikeRule(c.deferralSpike()));
        }
        if (c.authFailure().enabled()) {
            out.add(new AuthFailureRule(c.authFailure()));
        }
        if (c.suppressionSurge().enabled()) {
            out.add(new SuppressionSurgeRule(c.suppressionSurge()));
        }
        if (c.agentHealth().enabled()) {
            out.add(new AgentHealthRule(c.agentHealth(), health));
        }
        return out;
    }

    /** Every rule id the engine knows, enabled or not (for the CLI's checks). */
    public static Set<String> ruleIds() {
        Set<String> ids = new TreeSet<>(Set.of(BounceRateRule.SENDER, BounceRateRule.RECIPIENT, BlocklistRule.ID,
                DeferralSpikeRule.ID, AuthFailureRule.ID, SuppressionSurgeRule.ID));
        ids.addAll(AgentHealthRule.IDS);
        return ids;
    }

    public Evaluation evaluate() throws StoreException {
        Instant now = clock.instant();
        Map<String, Alert> active = new LinkedHashMap<>();
        Set<String> evaluated = new HashSet<>();
        Set<String> failed = new HashSet<>();
        try (Connection c = ReadOnlyDatabase.open(store.file())) {
            ResultWindows windows = new ResultWindows(c, now, providers);
            for (AlertRule rule : rules) {
                try {
                    List<Alert> found = rule.evaluate(windows);
                    found.forEach(a -> active.put(a.groupKey(), a));
                    evaluated.addAll(rule.ids());
                } catch (SQLException | RuntimeException e) {
                    // its groups are left as they are: a failing query must not look like "resolved"
                    LOG.warn("alert rule {} failed, its alerts keep their state: {}", rule.ids(), e.toString());
                    failed.addAll(rule.ids());
                }
            }
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": reading recent results for the alert rules failed: " + e.getMessage(), e);
        }
        int[] counts = store.write(tx -> apply(tx, active, evaluated, now));
        if (counts[1] > 0) {
            onEnqueued.run();
        }
        if (counts[0] > 0) {
            LOG.info("alerts: {} active, {} notifications, {} outbox entries", active.size(), counts[0], counts[1]);
        }
        return new Evaluation(now, active.size(), counts[0], counts[1], Set.copyOf(failed));
    }

    private int[] apply(StoreTransaction tx, Map<String, Alert> active, Set<String> evaluated, Instant now) throws SQLException {
        AlertStateTable table = new AlertStateTable(tx.connection());
        table.deleteExpiredMutes(now);
        List<Mute> mutes = table.mutes(now);
        Map<String, GroupState> previous = new LinkedHashMap<>();
        for (GroupState g : table.groups().values()) {
            if (!knownRules.contains(g.rule())) {
                table.delete(g.groupKey()); // the rule was switched off: forget its groups quietly
            } else if (evaluated.contains(g.rule())) {
                previous.put(g.groupKey(), g);
            }
        }
        Map<String, String> held = held(active, previous, mutes);
        int notifications = 0;
        int enqueued = 0;
        for (Decision d : grouper.decide(previous, active, held, now)) {
            if (d.next() == null) {
                table.delete(d.groupKey());
            } else {
                table.save(d.next());
            }
            Notification n = d.notification();
            if (n == null) {
                continue;
            }
            notifications++;
            if (n.reason() == Reason.NEW) {
                table.recordFired(n.group(), now);
            } else if (n.reason() == Reason.RESOLVED) {
                table.recordResolved(n.group(), now);
            }
            enqueued += enqueue(tx, events.event(n, now), now);
        }
        table.pruneHistory(now.minus(KEEP_HISTORY));
        return new int[] {notifications, enqueued};
    }

    private int enqueue(StoreTransaction tx, NotificationEvent event, Instant now) throws SQLException {
        int n = 0;
        String about = aboutDestination(event);
        for (Destination d : destinations) {
            if (d.name().equals(about) || !d.accepts(event)) {
                continue; // news of a broken destination goes out through the others
            }
            String payload;
            try {
                payload = d.render(event);
            } catch (RuntimeException e) {
                LOG.error("destination {} cannot render {} {}: {}", d.name(), event.type(), event.id(), e.toString());
                continue;
            }
            tx.enqueue(OutboxEntry.pending(d.name(), event.id(), event.type(), event.groupKey(), payload, now));
            n++;
        }
        return n;
    }

    private static String aboutDestination(NotificationEvent event) {
        var scope = event.data().path("alerts").path(0).path("scope");
        return "destination".equals(scope.path("key").asText()) ? scope.path("value").asText() : null;
    }

    /**
     * Why each group is held back: a mute of its rule and scope, else (for active bounce-rate and
     * deferral alerts) an active blocklisting whose explained scopes include its scope.
     */
    static Map<String, String> held(Map<String, Alert> active, Map<String, GroupState> previous, List<Mute> mutes) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String[]> ruleAndScope = new LinkedHashMap<>();
        previous.values().forEach(g -> ruleAndScope.put(g.groupKey(), new String[] {g.rule(), g.scope()}));
        active.values().forEach(a -> ruleAndScope.put(a.groupKey(), new String[] {a.rule(), a.scope().toString()}));
        List<Alert> sources = active.values().stream().filter(a -> a.rule().equals(BlocklistRule.ID)).toList();
        for (Map.Entry<String, String[]> e : ruleAndScope.entrySet()) {
            String rule = e.getValue()[0];
            String scope = e.getValue()[1];
            if (mutes.stream().anyMatch(m -> m.covers(rule, scope))) {
                out.put(e.getKey(), HELD_BY_MUTE);
            } else if (active.containsKey(e.getKey()) && INHIBITABLE.contains(rule)) {
                sources.stream().filter(s -> s.explains().contains(scope)).findFirst()
                        .ifPresent(s -> out.put(e.getKey(), s.groupKey()));
            }
        }
        return out;
    }
}
