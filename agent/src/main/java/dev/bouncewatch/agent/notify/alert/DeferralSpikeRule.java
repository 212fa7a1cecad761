package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.config.AlertsConfig.DeferralSpike;
import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.DisplayFormat;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deferred share of delivery attempts per provider (or domain) in a short window, against the same
 * share over a long baseline: providers throttle ({@code 421 4.7.28}, {@code 451 4.7.650},
 * {@code TSS04}) before they block, so a jump is an early reputation warning. The baseline is
 * computed at most once an hour: it moves slowly and scans days of results.
 */
final class DeferralSpikeRule implements AlertRule {

    static final String ID = "deferral_spike";
    /** Below this many attempts the baseline is not trusted and only the absolute rate counts. */
    static final long MIN_BASELINE_ATTEMPTS = 100;
    static final Duration BASELINE_REFRESH = Duration.ofHours(1);
    private static final int MAX_FILTER_DOMAINS = 200;

    private final DeferralSpike settings;
    private Map<Scope, long[]> baseline;
    private Instant baselineAt;

    DeferralSpikeRule(DeferralSpike settings) {
        this.settings = settings;
    }

    @Override
    public Set<String> ids() {
        return Set.of(ID);
    }

    @Override
    public List<Alert> evaluate(ResultWindows w) throws SQLException {
        Map<Scope, long[]> now = attemptsAndDeferrals(w.outcomes(settings.window()));
        Map<Scope, Map<String, Long>> domains = new HashMap<>();
        for (ResultWindows.Outcome o : w.outcomes(settings.window())) {
            if (o.status().equals("deferred")) {
                domains.computeIfAbsent(o.recipientScope(), s -> new HashMap<>()).merge(o.recipientDomain(), o.count(), Long::sum);
            }
        }
        Map<Scope, long[]> base = baseline(w);
        Instant since = w.now().minus(settings.window());
        List<Alert> alerts = new ArrayList<>();
        for (Map.Entry<Scope, long[]> e : now.entrySet()) {
            Scope scope = e.getKey();
            long attempts = e.getValue()[0];
            long deferred = e.getValue()[1];
            if (scope.value().isEmpty() || attempts < settings.minVolume() || attempts == 0) {
                continue;
            }
            double rate = (double) deferred / attempts;
            long[] b = base.get(scope);
            boolean baselineKnown = b != null && b[0] >= MIN_BASELINE_ATTEMPTS;
            double baseRate = baselineKnown ? (double) b[1] / b[0] : 0;
            if (rate < settings.minRate() || (baselineKnown && rate < settings.factor() * baseRate)) {
                continue;
            }
            List<String> filterDomains = domains.getOrDefault(scope, Map.of()).entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(MAX_FILTER_DOMAINS)
                    .map(Map.Entry::getKey).toList();
            ResultFilter filter = ResultFilter.DEFERRED.and(ResultFilter.recipientDomains(filterDomains));
            var reasons = w.topReasons(since, filter, AlertDetails.MAX_ITEMS);
            var top = w.topDomains(since, filter, AlertDetails.MAX_ITEMS);
            String window = DisplayFormat.duration(settings.window());
            String baselineText = baselineKnown ? DisplayFormat.percent(baseRate) + " over " + DisplayFormat.duration(settings.baselineWindow())
                    : "not enough history";
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("attempts", attempts);
            metrics.put("deferred", deferred);
            metrics.put("rate", rate);
            if (baselineKnown) {
                metrics.put("baselineRate", baseRate);
            }
            metrics.put("window", settings.window().toString());
            AlertDetails.Advice advice = AlertDetails.advice(reasons.items(), "reduce-rate",
                    "The provider is throttling us: slow down for it and check its postmaster tools for our reputation.");
            alerts.add(new Alert(ID, scope, "Deferral spike",
                    rate >= settings.critical() ? AlertSeverity.CRITICAL : AlertSeverity.WARNING, false,
                    DisplayFormat.count(deferred) + " of " + DisplayFormat.count(attempts) + " attempts deferred ("
                            + DisplayFormat.percent(rate) + ") in the last " + window
                            + (baselineKnown ? "; usually " + DisplayFormat.percent(baseRate) : ""),
                    List.of(new Alert.Fact("Deferred", DisplayFormat.count(deferred) + " / " + DisplayFormat.count(attempts)
                                    + " (" + DisplayFormat.percent(rate) + ")"),
                            new Alert.Fact("Baseline", baselineText),
                            new Alert.Fact("Window", window)),
                    metrics, advice.action(), advice.text(), reasons.items(), reasons.more(), top.items(), top.more(), Set.of()));
        }
        return alerts;
    }

    private Map<Scope, long[]> baseline(ResultWindows w) throws SQLException {
        if (baseline == null || baselineAt == null || !w.now().isBefore(baselineAt.plus(BASELINE_REFRESH))
                || w.now().isBefore(baselineAt)) {
            Instant end = w.now().minus(settings.window());
            baseline = attemptsAndDeferrals(w.outcomes(end.minus(settings.baselineWindow()), end));
            baselineAt = w.now();
        }
        return baseline;
    }

    /** Per recipient scope: attempts (everything but suppressed sends) and deferrals. */
    private static Map<Scope, long[]> attemptsAndDeferrals(List<ResultWindows.Outcome> outcomes) {
        Map<Scope, long[]> out = new LinkedHashMap<>();
        for (ResultWindows.Outcome o : outcomes) {
            if (o.category().equals("suppressed")) {
                continue;
            }
            long[] c = out.computeIfAbsent(o.recipientScope(), s -> new long[2]);
            c[0] += o.count();
            if (o.status().equals("deferred")) {
                c[1] += o.count();
            }
        }
        return out;
    }
}
