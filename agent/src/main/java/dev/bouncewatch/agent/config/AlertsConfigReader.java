package dev.bouncewatch.agent.config;

import dev.bouncewatch.agent.config.AlertsConfig.AgentHealth;
import dev.bouncewatch.agent.config.AlertsConfig.AuthFailure;
import dev.bouncewatch.agent.config.AlertsConfig.Blocklisted;
import dev.bouncewatch.agent.config.AlertsConfig.BounceRate;
import dev.bouncewatch.agent.config.AlertsConfig.DeferralSpike;
import dev.bouncewatch.agent.config.AlertsConfig.SuppressionSurge;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code notify.alerts}: the evaluation and grouping timers, and under {@code rules} one
 * entry per rule id (the names {@code bouncewatch alerts mute} takes). Keys left out keep their
 * defaults; {@code enabled: false} switches a rule off. Rates are {@code 2%} or {@code 0.02}.
 */
final class AlertsConfigReader {

    static final Set<String> KEYS = new LinkedHashSet<>(List.of("enabled", "evaluationInterval", "groupWait",
            "groupInterval", "repeatInterval", "rules"));
    /** Per rule id, its keys. */
    static final Map<String, Set<String>> RULE_KEYS = ruleKeys();

    private static final Pattern RATE = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,6})?)\\s*%|(0(?:\\.\\d{1,8})?|1(?:\\.0+)?)");
    private static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(7);

    private final ConfigContext context;

    private AlertsConfigReader(ConfigContext context) {
        this.context = context;
    }

    private static Map<String, Set<String>> ruleKeys() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        Set<String> rate = set("enabled", "window", "warning", "critical", "minVolume");
        m.put("bounce_rate_sender", rate);
        m.put("bounce_rate_recipient", rate);
        m.put("blocklisted", set("enabled", "window", "minCount", "critical"));
        m.put("deferral_spike", set("enabled", "window", "factor", "minRate", "critical", "minVolume", "baselineWindow"));
        m.put("auth_failure", set("enabled", "window", "minCount", "critical"));
        m.put("suppression_surge", set("enabled", "window", "minCount", "factor", "baselineWindow"));
        m.put("agent_health", set("enabled", "sourceLag", "sourceLagCritical", "notifierFailing"));
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Set<String> set(String... keys) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }

    static AlertsConfig read(Node node, ConfigContext context) {
        AlertsConfig d = AlertsConfig.defaults();
        if (node == null || YamlValues.isNull(node)) {
            return d;
        }
        return YamlMap.open(node, "notify.alerts", context.problems(), KEYS).map(map -> new AlertsConfigReader(context).read(map, d))
                .orElse(d);
    }

    private AlertsConfig read(YamlMap map, AlertsConfig d) {
        boolean enabled = map.bool("enabled").orElse(d.enabled());
        Duration evaluation = ConfigValues.duration(map, "evaluationInterval", Duration.ofSeconds(5), Duration.ofMinutes(10))
                .orElse(d.evaluationInterval());
        Duration wait = ConfigValues.duration(map, "groupWait", Duration.ZERO, Duration.ofHours(1)).orElse(d.groupWait());
        Duration interval = ConfigValues.duration(map, "groupInterval", Duration.ofSeconds(30), Duration.ofDays(1))
                .orElse(d.groupInterval());
        Duration repeat = ConfigValues.duration(map, "repeatInterval", Duration.ofMinutes(1), Duration.ofDays(30))
                .orElse(d.repeatInterval());
        if (repeat.compareTo(interval) < 0) {
            context.problems().add(map.value(map.has("repeatInterval") ? "repeatInterval" : "groupInterval"),
                    map.path("repeatInterval"), "repeatInterval (" + ConfigValues.formatDuration(repeat)
                            + ") must not be shorter than groupInterval (" + ConfigValues.formatDuration(interval) + ")");
        }
        Map<String, YamlMap> rules = new LinkedHashMap<>();
        if (map.has("rules") && !YamlValues.isNull(map.value("rules"))) {
            YamlMap.open(map.value("rules"), map.path("rules"), context.problems(), RULE_KEYS.keySet()).ifPresent(r -> {
                for (String id : r.keys()) {
                    if (!YamlValues.isNull(r.value(id))) {
                        YamlMap.open(r.value(id), r.path(id), context.problems(), RULE_KEYS.get(id)).ifPresent(m -> rules.put(id, m));
                    }
                }
            });
        }
        return new AlertsConfig(enabled, evaluation, wait, interval, repeat,
                bounceRate(rules.get("bounce_rate_sender"), d.senderBounceRate()),
                bounceRate(rules.get("bounce_rate_recipient"), d.recipientBounceRate()),
                blocklisted(rules.get("blocklisted"), d.blocklisted()),
                deferralSpike(rules.get("deferral_spike"), d.deferralSpike()),
                authFailure(rules.get("auth_failure"), d.authFailure()),
                suppressionSurge(rules.get("suppression_surge"), d.suppressionSurge()),
                agentHealth(rules.get("agent_health"), d.agentHealth()));
    }

    private BounceRate bounceRate(YamlMap m, BounceRate d) {
        if (m == null) {
            return d;
        }
        BounceRate r = new BounceRate(m.bool("enabled").orElse(d.enabled()), window(m, d.window()), rate(m, "warning", d.warning()),
                rate(m, "critical", d.critical()), count(m, "minVolume", d.minVolume()));
        orderedRates(m, "warning", r.warning(), "critical", r.critical());
        return r;
    }

    private Blocklisted blocklisted(YamlMap m, Blocklisted d) {
        if (m == null) {
            return d;
        }
        return new Blocklisted(m.bool("enabled").orElse(d.enabled()), window(m, d.window()), count(m, "minCount", d.minCount()),
                count(m, "critical", d.critical()));
    }

    private DeferralSpike deferralSpike(YamlMap m, DeferralSpike d) {
        if (m == null) {
            return d;
        }
        DeferralSpike r = new DeferralSpike(m.bool("enabled").orElse(d.enabled()), window(m, d.window()),
                factor(m, "factor", d.factor()), rate(m, "minRate", d.minRate()), rate(m, "critical", d.critical()),
                count(m, "minVolume", d.minVolume()), duration(m, "baselineWindow", d.baselineWindow(), Duration.ofHours(1),
                        Duration.ofDays(30)));
        orderedRates(m, "minRate", r.minRate(), "critical", r.critical());
        return r;
    }

    private AuthFailure authFailure(YamlMap m, AuthFailure d) {
        if (m == null) {
            return d;
        }
        return new AuthFailure(m.bool("enabled").orElse(d.enabled()), window(m, d.window()), count(m, "minCount", d.minCount()),
                count(m, "critical", d.critical()));
    }

    private SuppressionSurge suppressionSurge(YamlMap m, SuppressionSurge d) {
        if (m == null) {
            return d;
        }
        return new SuppressionSurge(m.bool("enabled").orElse(d.enabled()), window(m, d.window()), count(m, "minCount", d.minCount()),
                factor(m, "factor", d.factor()), duration(m, "baselineWindow", d.baselineWindow(), Duration.ofHours(1),
                Duration.ofDays(30)));
    }

    private AgentHealth agentHealth(YamlMap m, AgentHealth d) {
        if (m == null) {
            return d;
        }
        return new AgentHealth(m.bool("enabled").orElse(d.enabled()),
                duration(m, "sourceLag", d.sourceLag(), Duration.ofSeconds(10), Duration.ofDays(1)),
                duration(m, "sourceLagCritical", d.sourceLagCritical(), Duration.ofSeconds(10), Duration.ofDays(7)),
                duration(m, "notifierFailing", d.notifierFailing(), Duration.ZERO, Duration.ofDays(7)));
    }

    private static Duration window(YamlMap m, Duration d) {
        return duration(m, "window", d, MIN_WINDOW, MAX_WINDOW);
    }

    private static Duration duration(YamlMap m, String key, Duration d, Duration min, Duration max) {
        return ConfigValues.duration(m, key, min, max).orElse(d);
    }

    private static long count(YamlMap m, String key, long d) {
        return m.integer(key, 1, 100_000_000).orElse(d);
    }

    /** {@code 2%} or {@code 0.02}, above 0 and at most 100%. */
    private static double rate(YamlMap m, String key, double d) {
        return m.string(key).flatMap(text -> {
            Matcher x = RATE.matcher(text.strip());
            double v = !x.matches() ? -1 : x.group(1) != null ? Double.parseDouble(x.group(1)) / 100 : Double.parseDouble(x.group(2));
            if (v <= 0 || v > 1) {
                m.problems().add(m.value(key), m.path(key), "expected a rate above 0 and at most 100%, like 2% or 0.02, got '"
                        + text + "'");
                return Optional.<Double>empty();
            }
            return Optional.of(v);
        }).orElse(d);
    }

    /** A multiple such as {@code 3} or {@code 2.5}. */
    private static double factor(YamlMap m, String key, double d) {
        return m.string(key).flatMap(text -> {
            try {
                double v = Double.parseDouble(text.strip());
                if (v >= 1 && v <= 1000) {
                    return Optional.of(v);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            m.problems().add(m.value(key), m.path(key), "expected a factor from 1 to 1000, like 3, got '" + text + "'");
            return Optional.<Double>empty();
        }).orElse(d);
    }

    private static void orderedRates(YamlMap m, String lowKey, double low, String highKey, double high) {
        if (low > high) {
            m.problems().add(m.value(m.has(highKey) ? highKey : lowKey), m.path(highKey), highKey + " must not be below "
                    + lowKey + " (" + Math.round(low * 10000) / 100.0 + "%)");
        }
    }
}
