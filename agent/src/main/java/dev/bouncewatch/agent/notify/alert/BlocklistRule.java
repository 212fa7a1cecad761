package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.classify.Action;
import dev.bouncewatch.agent.config.AlertsConfig.Blocklisted;
import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.DisplayFormat;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replies that refuse our mail because of a listing: the classifier's {@code blocklist:<name>}
 * signals (Spamhaus, Barracuda, Microsoft S3150 ...) and the {@code blocked} category when no list
 * is named ({@code list=unnamed}). One alert per list, however many domains refuse us: a listing is
 * one problem. It explains the bounce-rate and deferral alerts of the providers, domains and sending
 * domains it was seen at, which are held back while it is active. Greylisting is classified
 * {@code blocked} too, but it is no listing: the MTA's retry gets through, so it never counts here.
 */
final class BlocklistRule implements AlertRule {

    static final String ID = "blocklisted";
    static final String UNNAMED = "unnamed";
    private static final String SIGNAL = "blocklist:";
    private static final ResultFilter NOT_GREYLISTED = ResultFilter.notSignal("greylisted");
    private static final String ROWS = "SELECT signals, recipient_domain, " + ResultFilter.SENDER_DOMAIN + " AS sender_domain, count(*)"
            + " FROM results WHERE time_ms >= ? AND (" + ResultFilter.NOT_DELIVERED.sql() + ")"
            + " AND (signals LIKE '%blocklist:%' OR (category = 'blocked' AND " + NOT_GREYLISTED.sql() + "))"
            + " GROUP BY signals, recipient_domain, sender_domain";

    private final Blocklisted settings;

    BlocklistRule(Blocklisted settings) {
        this.settings = settings;
    }

    @Override
    public Set<String> ids() {
        return Set.of(ID);
    }

    @Override
    public List<Alert> evaluate(ResultWindows w) throws SQLException {
        Instant since = w.now().minus(settings.window());
        Map<String, Scope> recipientScopes = new HashMap<>();
        for (ResultWindows.Outcome o : w.outcomes(settings.window())) {
            recipientScopes.putIfAbsent(o.recipientDomain(), o.recipientScope());
        }
        record Row(String signals, String domain, String sender, long count) {
        }
        List<Row> rows = w.query(ROWS, since, new ResultFilter("1", List.of()),
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)),
                NOT_GREYLISTED.args().toArray());
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Set<String>> explains = new HashMap<>();
        for (Row r : rows) {
            List<String> lists = new ArrayList<>();
            for (String token : r.signals().split(" ")) {
                if (token.startsWith(SIGNAL) && token.length() > SIGNAL.length()) {
                    lists.add(token.substring(SIGNAL.length()));
                }
            }
            if (lists.isEmpty()) {
                lists.add(UNNAMED);
            }
            Scope recipient = recipientScopes.getOrDefault(r.domain(), new Scope("domain", r.domain()));
            for (String list : lists) {
                counts.computeIfAbsent(list, l -> new long[1])[0] += r.count();
                Set<String> e = explains.computeIfAbsent(list, l -> new LinkedHashSet<>());
                if (!recipient.value().isEmpty()) {
                    e.add(recipient.toString());
                }
                if (!r.sender().isEmpty()) {
                    e.add(new Scope("sender_domain", r.sender()).toString());
                }
            }
        }
        List<Alert> alerts = new ArrayList<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long n = e.getValue()[0];
            if (n < settings.minCount()) {
                continue;
            }
            String list = e.getKey();
            ResultFilter filter = ResultFilter.NOT_DELIVERED.and(list.equals(UNNAMED)
                    ? ResultFilter.category("blocked").and(new ResultFilter("signals NOT LIKE '%blocklist:%'", List.of()))
                            .and(NOT_GREYLISTED)
                    : ResultFilter.signal(SIGNAL + list));
            var reasons = w.topReasons(since, filter, AlertDetails.MAX_ITEMS);
            var domains = w.topDomains(since, filter, AlertDetails.MAX_ITEMS);
            String window = DisplayFormat.duration(settings.window());
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("replies", n);
            metrics.put("window", settings.window().toString());
            Set<String> explained = explains.getOrDefault(list, Set.of());
            alerts.add(new Alert(ID, new Scope("list", list), "Blocklisted",
                    n >= settings.critical() ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, false,
                    DisplayFormat.count(n) + (n == 1 ? " reply" : " replies") + " in the last " + window
                            + (list.equals(UNNAMED) ? " refused our mail as blocked without naming a list"
                            : " refused our mail citing this blocklist"),
                    List.of(new Alert.Fact("Replies", DisplayFormat.count(n)),
                            new Alert.Fact("Seen at", DisplayFormat.count(domains.items().size() + domains.more()) + " domains"),
                            new Alert.Fact("Window", window)),
                    metrics, Action.CHECK_BLOCKLIST.wireName(),
                    "Look up the sending IPs and domains at the list named in the replies, fix what got them listed"
                            + " (a compromised account, an open relay, a bought list), then request delisting."
                            + " Deferral and bounce-rate alerts it explains are held back meanwhile.",
                    reasons.items(), reasons.more(), domains.items(), domains.more(), explained));
        }
        return alerts;
    }
}
