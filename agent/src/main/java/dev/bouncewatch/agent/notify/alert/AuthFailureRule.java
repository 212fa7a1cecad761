package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.classify.Action;
import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.config.AlertsConfig.AuthFailure;
import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.DisplayFormat;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Receivers rejecting or deferring our mail for SPF, DKIM or DMARC ({@code 5.7.26}, {@code 5.7.27}),
 * per sending domain: the sender's DNS or signing is broken, and every provider that checks will
 * refuse more of it. A few, not one: forwarding breaks SPF now and then.
 */
final class AuthFailureRule implements AlertRule {

    static final String ID = "auth_failure";
    private static final String CATEGORY = Category.AUTHFAILURE.wireName();

    private final AuthFailure settings;

    AuthFailureRule(AuthFailure settings) {
        this.settings = settings;
    }

    @Override
    public Set<String> ids() {
        return Set.of(ID);
    }

    @Override
    public List<Alert> evaluate(ResultWindows w) throws SQLException {
        Map<String, Long> bySender = new LinkedHashMap<>();
        for (ResultWindows.Outcome o : w.outcomes(settings.window())) {
            if (o.category().equals(CATEGORY) && !o.status().equals("delivered") && !o.senderDomain().isEmpty()) {
                bySender.merge(o.senderDomain(), o.count(), Long::sum);
            }
        }
        Instant since = w.now().minus(settings.window());
        List<Alert> alerts = new ArrayList<>();
        for (Map.Entry<String, Long> e : bySender.entrySet()) {
            long n = e.getValue();
            if (n < settings.minCount()) {
                continue;
            }
            ResultFilter filter = ResultFilter.NOT_DELIVERED.and(ResultFilter.category(CATEGORY))
                    .and(ResultFilter.senderDomain(e.getKey()));
            var reasons = w.topReasons(since, filter, AlertDetails.MAX_ITEMS);
            var domains = w.topDomains(since, filter, AlertDetails.MAX_ITEMS);
            String window = DisplayFormat.duration(settings.window());
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("replies", n);
            metrics.put("window", settings.window().toString());
            alerts.add(new Alert(ID, new Scope("sender_domain", e.getKey()), "Authentication failures",
                    n >= settings.critical() ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, false,
                    DisplayFormat.count(n) + (n == 1 ? " reply" : " replies") + " in the last " + window
                            + " refused mail from this domain for SPF, DKIM or DMARC",
                    List.of(new Alert.Fact("Replies", DisplayFormat.count(n)), new Alert.Fact("Window", window)),
                    metrics, Action.FIX_AUTHENTICATION.wireName(), Category.AUTHFAILURE.defaultAdvice(),
                    reasons.items(), reasons.more(), domains.items(), domains.more(), Set.of()));
        }
        return alerts;
    }
}
