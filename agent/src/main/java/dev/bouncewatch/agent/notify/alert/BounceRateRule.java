package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.config.AlertsConfig.BounceRate;
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
 * Bounced share of finished deliveries (delivered, bounced, expired; deferrals are not finished and
 * suppressed sends were never tried) over a window, per sending domain or per recipient provider
 * or domain. A rate means nothing on a few messages, hence the minimum volume.
 */
final class BounceRateRule implements AlertRule {

    static final String SENDER = "bounce_rate_sender";
    static final String RECIPIENT = "bounce_rate_recipient";
    /** Domains of one provider named in the SQL that finds its top replies. */
    private static final int MAX_FILTER_DOMAINS = 200;

    private final String id;
    private final boolean bySender;
    private final BounceRate settings;

    private BounceRateRule(String id, boolean bySender, BounceRate settings) {
        this.id = id;
        this.bySender = bySender;
        this.settings = settings;
    }

    static BounceRateRule bySender(BounceRate settings) {
        return new BounceRateRule(SENDER, true, settings);
    }

    static BounceRateRule byRecipient(BounceRate settings) {
        return new BounceRateRule(RECIPIENT, false, settings);
    }

    @Override
    public Set<String> ids() {
        return Set.of(id);
    }

    @Override
    public List<Alert> evaluate(ResultWindows w) throws SQLException {
        Map<Scope, long[]> counts = new LinkedHashMap<>(); // finished, failed
        Map<Scope, Map<String, Long>> domains = new LinkedHashMap<>();
        for (ResultWindows.Outcome o : w.outcomes(settings.window())) {
            Scope scope = bySender ? new Scope("sender_domain", o.senderDomain()) : o.recipientScope();
            if (scope.value().isEmpty()) {
                continue; // bounces we generate have no sender; results without a recipient domain
            }
            long[] c = counts.computeIfAbsent(scope, s -> new long[2]);
            if (o.finished()) {
                c[0] += o.count();
            }
            if (o.failed()) {
                c[1] += o.count();
            }
            domains.computeIfAbsent(scope, s -> new LinkedHashMap<>()).merge(o.recipientDomain(), o.count(), Long::sum);
        }
        List<Alert> alerts = new ArrayList<>();
        Instant since = w.now().minus(settings.window());
        for (Map.Entry<Scope, long[]> e : counts.entrySet()) {
            long finished = e.getValue()[0];
            long failed = e.getValue()[1];
            if (finished < settings.minVolume() || finished == 0) {
                continue;
            }
            double rate = (double) failed / finished;
            if (rate < settings.warning()) {
                continue;
            }
            Scope scope = e.getKey();
            ResultFilter filter = ResultFilter.FAILED.and(bySender ? ResultFilter.senderDomain(scope.value())
                    : ResultFilter.recipientDomains(biggest(domains.get(scope))));
            var reasons = w.topReasons(since, filter, AlertDetails.MAX_ITEMS);
            var top = w.topDomains(since, filter, AlertDetails.MAX_ITEMS);
            String window = DisplayFormat.duration(settings.window());
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("finished", finished);
            metrics.put("bounced", failed);
            metrics.put("rate", rate);
            metrics.put("window", settings.window().toString());
            AlertDetails.Advice advice = AlertDetails.advice(reasons.items(), "investigate",
                    "Look at the top replies: they say whether the list, the content or our reputation is to blame.");
            alerts.add(new Alert(id, scope, bySender ? "Sender bounce rate" : "Recipient bounce rate",
                    rate >= settings.critical() ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, false,
                    DisplayFormat.count(failed) + " of " + DisplayFormat.count(finished) + " finished deliveries bounced ("
                            + DisplayFormat.percent(rate) + ") in the last " + window,
                    List.of(new Alert.Fact("Bounced", DisplayFormat.count(failed) + " / " + DisplayFormat.count(finished)
                                    + " (" + DisplayFormat.percent(rate) + ")"),
                            new Alert.Fact("Thresholds", DisplayFormat.percent(settings.warning()) + " warning · "
                                    + DisplayFormat.percent(settings.critical()) + " critical"),
                            new Alert.Fact("Window", window)),
                    metrics, advice.action(), advice.text(), reasons.items(), reasons.more(), top.items(), top.more(), Set.of()));
        }
        return alerts;
    }

    private static List<String> biggest(Map<String, Long> domains) {
        return domains.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(MAX_FILTER_DOMAINS).map(Map.Entry::getKey).toList();
    }
}
