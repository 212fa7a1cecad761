package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.classify.Action;
import dev.bouncewatch.agent.config.AlertsConfig.AgentHealth;
import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.DisplayFormat;
import dev.bouncewatch.agent.notify.alert.HealthSignals.DestinationStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's own health, sent as {@code agent.health}: a source falling behind or failing, a
 * destination paused by its receiver or failing for a while, dead letters in the outbox. Alertmanager
 * users learn about a broken Slack hook from logs only; here the other destinations say so.
 */
final class AgentHealthRule implements AlertRule {

    static final String SOURCE_LAG = "source_lag";
    static final String NOTIFIER_PAUSED = "notifier_paused";
    static final String NOTIFIER_FAILING = "notifier_failing";
    static final String DEAD_LETTERS = "dead_letters";
    /** Dead letters this recent keep the alert up; replaying them (or a day passing) clears it. */
    static final Duration DEAD_LETTER_WINDOW = Duration.ofHours(24);

    private static final String DEAD = "SELECT destination, count(*) FROM outbox WHERE state = 'dead'"
            + " AND coalesce(finished_ms, created_ms) >= ? GROUP BY destination ORDER BY destination";

    private final AgentHealth settings;
    private final HealthSignals signals;

    AgentHealthRule(AgentHealth settings, HealthSignals signals) {
        this.settings = settings;
        this.signals = signals;
    }

    static final Set<String> IDS = Set.of(SOURCE_LAG, NOTIFIER_PAUSED, NOTIFIER_FAILING, DEAD_LETTERS);

    @Override
    public Set<String> ids() {
        return IDS;
    }

    static boolean isHealthRule(String rule) {
        return IDS.contains(rule);
    }

    @Override
    public List<Alert> evaluate(ResultWindows w) throws SQLException {
        List<Alert> alerts = new ArrayList<>();
        for (HealthSignals.SourceStatus s : signals.sources()) {
            boolean behind = s.lag() != null && s.lag().compareTo(settings.sourceLag()) >= 0;
            if (!behind && s.error() == null) {
                continue;
            }
            boolean critical = s.lag() != null && s.lag().compareTo(settings.sourceLagCritical()) >= 0;
            String lag = s.lag() == null ? "unknown" : DisplayFormat.duration(s.lag());
            List<Alert.Fact> facts = new ArrayList<>();
            facts.add(new Alert.Fact("Behind by", lag));
            facts.add(new Alert.Fact("Warning at", DisplayFormat.duration(settings.sourceLag())));
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("lagSeconds", s.lag() == null ? -1 : s.lag().toSeconds());
            alerts.add(health(SOURCE_LAG, new Scope("source", s.source()), behind ? "Source behind" : "Source failing",
                    critical ? AlertSeverity.CRITICAL : AlertSeverity.WARNING,
                    behind ? "Results are " + lag + " behind the log" + (s.error() == null ? "" : "; last error: " + s.error())
                            : "Reading the log fails: " + s.error(),
                    facts, metrics, "Check the agent's log and that it can read the source; alerts and the digest are "
                            + "late while it is behind."));
        }
        for (DestinationStatus d : signals.destinations()) {
            Scope scope = new Scope("destination", d.destination());
            String detail = d.detail() == null ? "" : d.detail();
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("since", d.since() == null ? null : d.since().toString());
            if (d.state() == DestinationStatus.State.PAUSED) {
                alerts.add(health(NOTIFIER_PAUSED, scope, "Notifier paused", AlertSeverity.CRITICAL,
                        "Nothing is sent to this destination until its configuration is fixed"
                                + (detail.isEmpty() ? "" : ": " + detail),
                        List.of(new Alert.Fact("Paused", d.since() == null ? "-" : DisplayFormat.dateTime(d.since(), ZoneOffset.UTC))),
                        metrics, "Fix the destination (new webhook URL, unarchived channel), then replay what waited with"
                                + " `bouncewatch outbox replay`."));
            } else if (d.state() == DestinationStatus.State.FAILING && d.since() != null
                    && !w.now().isBefore(d.since().plus(settings.notifierFailing()))) {
                alerts.add(health(NOTIFIER_FAILING, scope, "Notifier failing", AlertSeverity.WARNING,
                        "Deliveries have failed for " + DisplayFormat.duration(Duration.between(d.since(), w.now()))
                                + (detail.isEmpty() ? "" : "; last: " + detail),
                        List.of(new Alert.Fact("Failing for", DisplayFormat.duration(Duration.between(d.since(), w.now())))),
                        metrics, "Messages wait in the outbox and are retried; check that the receiver is up and reachable."));
            }
        }
        try (PreparedStatement st = w.connection().prepareStatement(DEAD)) {
            st.setLong(1, w.now().minus(DEAD_LETTER_WINDOW).toEpochMilli());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2);
                    Map<String, Object> metrics = new LinkedHashMap<>();
                    metrics.put("deadLetters", n);
                    alerts.add(health(DEAD_LETTERS, new Scope("destination", rs.getString(1)), "Dead letters",
                            AlertSeverity.WARNING, DisplayFormat.count(n) + " notifications to this destination were given up in the last "
                                    + DisplayFormat.duration(DEAD_LETTER_WINDOW),
                            List.of(new Alert.Fact("Dead letters", DisplayFormat.count(n))), metrics,
                            "See why with `bouncewatch outbox list --state dead`, fix the cause, then"
                                    + " `bouncewatch outbox replay --all-dead`."));
                }
            }
        }
        return alerts;
    }

    private static Alert health(String rule, Scope scope, String title, AlertSeverity severity, String summary,
                                List<Alert.Fact> facts, Map<String, Object> metrics, String advice) {
        return new Alert(rule, scope, title, severity, true, summary, facts, metrics, Action.INVESTIGATE.wireName(), advice,
                List.of(), 0, List.of(), 0, Set.of());
    }
}
