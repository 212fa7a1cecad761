package dev.bouncewatch.agent.config;

import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.testmta.yaml.Problems;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads {@code suppression:}. A {@code rules} or {@code never} given in the file replaces the
 * default one as a whole (so a category can be dropped from it); keys left out keep the defaults.
 */
final class SuppressionConfigReader {

    static final Set<String> KEYS = new LinkedHashSet<>(List.of("enabled", "rules", "never"));
    static final Set<String> RULE_KEYS = new LinkedHashSet<>(List.of("failures", "window"));

    /** Outcomes that are not failures, so no rule can be about them. */
    private static final Set<Category> NOT_FAILURES = EnumSet.of(Category.DELIVERED, Category.SUPPRESSED);
    private static final List<String> CATEGORY_NAMES = Arrays.stream(Category.values())
            .filter(c -> !NOT_FAILURES.contains(c)).map(Category::wireName).toList();
    private static final int MAX_FAILURES = 1000;

    private final ConfigContext context;
    private final Problems problems;

    private SuppressionConfigReader(ConfigContext context) {
        this.context = context;
        this.problems = context.problems();
    }

    static SuppressionConfig read(Node node, ConfigContext context) {
        SuppressionConfig d = SuppressionConfig.defaults();
        if (node == null || YamlValues.isNull(node)) {
            return d;
        }
        return YamlMap.open(node, "suppression", context.problems(), KEYS)
                .map(map -> new SuppressionConfigReader(context).read(map, d)).orElse(d);
    }

    private SuppressionConfig read(YamlMap map, SuppressionConfig d) {
        boolean enabled = map.bool("enabled").orElse(d.enabled());
        Map<String, SuppressionConfig.Rule> rules = d.rules();
        Map<String, Node> ruleNodes = new LinkedHashMap<>();
        if (map.has("rules")) {
            rules = new LinkedHashMap<>();
            readRules(map, rules, ruleNodes);
            rules = Collections.unmodifiableMap(rules);
        }
        Set<String> never = d.never();
        if (map.has("never")) {
            never = Collections.unmodifiableSet(readNever(map, rules, map.has("rules")));
        } else {
            for (Map.Entry<String, Node> rule : ruleNodes.entrySet()) {
                if (never.contains(rule.getKey())) {
                    problems.add(rule.getValue(), map.path("rules") + "." + rule.getKey(), rule.getKey()
                            + " is in the default never list (a problem of the sender, not the address); to suppress on it,"
                            + " also give suppression.never without it");
                }
            }
        }
        return new SuppressionConfig(enabled, rules, never);
    }

    private void readRules(YamlMap map, Map<String, SuppressionConfig.Rule> rules, Map<String, Node> ruleNodes) {
        Node node = map.value("rules");
        if (YamlValues.isNull(node)) {
            return; // "rules:" with nothing under it: no rule, only manual suppressions
        }
        YamlMap.open(node, map.path("rules"), problems, Set.of()).ifPresent(byCategory -> {
            for (Map.Entry<ScalarNode, Node> pair : byCategory.pairs()) {
                String path = byCategory.path(pair.getKey().getValue());
                category(pair.getKey(), pair.getKey().getValue(), path).ifPresent(category -> {
                    if (rules.containsKey(category)) {
                        problems.add(pair.getKey(), path, "a rule for " + category + " is already given (under another name)");
                        return;
                    }
                    rule(pair.getValue(), path).ifPresent(rule -> {
                        rules.put(category, rule);
                        ruleNodes.put(category, pair.getKey());
                    });
                });
            }
        });
    }

    private Optional<SuppressionConfig.Rule> rule(Node node, String path) {
        Optional<YamlMap> opened = YamlMap.open(node, path, problems, RULE_KEYS);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        YamlMap rule = opened.get();
        if (!rule.has("failures")) {
            rule.missing("failures", "how many permanent failures suppress the address, e.g. {failures: 2, window: 14d}");
            return Optional.empty();
        }
        Optional<Long> failures = rule.integer("failures", 1, MAX_FAILURES);
        Optional<Duration> window = ConfigValues.duration(rule, "window", Duration.ofMinutes(1), ConfigValues.MAX_DURATION);
        if (failures.isEmpty() || (rule.has("window") && window.isEmpty())) {
            return Optional.empty();
        }
        if (failures.get() == 1) {
            return Optional.of(SuppressionConfig.Rule.atFirst()); // no window to count in
        }
        if (window.isEmpty()) {
            rule.missing("window", "the time " + failures.get() + " failures must fall within, e.g. window: 14d");
            return Optional.empty();
        }
        return Optional.of(new SuppressionConfig.Rule(failures.get().intValue(), window.get()));
    }

    private Set<String> readNever(YamlMap map, Map<String, SuppressionConfig.Rule> rules, boolean rulesGiven) {
        Set<String> never = new LinkedHashSet<>();
        Node node = map.value("never");
        if (YamlValues.isNull(node)) {
            return never;
        }
        if (node instanceof org.snakeyaml.engine.v2.nodes.SequenceNode seq && seq.getValue().isEmpty()) {
            return never; // never: [] is a clear "no exceptions"
        }
        map.stringList("never").ifPresent(list -> {
            for (YamlValues.Located item : list) {
                category(item.node(), item.value(), map.path("never")).ifPresent(category -> {
                    if (rules.containsKey(category)) {
                        problems.add(item.node(), map.path("never"), category + " also has a rule in "
                                + (rulesGiven ? "suppression.rules" : "the default suppression.rules (give your own rules without it)")
                                + "; a category cannot be in both");
                    } else {
                        never.add(category);
                    }
                });
            }
        });
        return never;
    }

    /** The category's wire name (aliases such as ratelimited become the canonical name). */
    private Optional<String> category(Node node, String name, String path) {
        Optional<Category> category = Category.fromWireName(name);
        if (category.isEmpty()) {
            problems.add(node, path, "unknown category '" + name + "'" + ConfigValues.didYouMean(name.strip(), CATEGORY_NAMES)
                    + "; expected one of: " + String.join(", ", CATEGORY_NAMES));
            return Optional.empty();
        }
        if (NOT_FAILURES.contains(category.get())) {
            problems.add(node, path, "'" + name + "' is not a failure, so nothing can be suppressed for it");
            return Optional.empty();
        }
        return Optional.of(category.get().wireName());
    }
}
