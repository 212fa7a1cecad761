package dev.bouncewatch.agent.config;

import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code retention:}; keys left out keep {@link RetentionConfig#defaults()}. */
final class RetentionConfigReader {

    static final Set<String> KEYS = new LinkedHashSet<>(List.of("results", "delivered", "maxDatabase", "pruneInterval"));

    private static final Duration MIN_KEEP = Duration.ofHours(1);
    /** Below this SQLite's own pages and the WAL take a good part of the budget. */
    private static final long MIN_DATABASE = 16L << 20;
    private static final long MAX_DATABASE = 1L << 40;

    private RetentionConfigReader() {
    }

    static RetentionConfig read(Node node, ConfigContext context) {
        RetentionConfig d = RetentionConfig.defaults();
        if (node == null || YamlValues.isNull(node)) {
            return d;
        }
        Optional<YamlMap> opened = YamlMap.open(node, "retention", context.problems(), KEYS);
        if (opened.isEmpty()) {
            return d;
        }
        YamlMap map = opened.get();
        Duration results = ConfigValues.duration(map, "results", MIN_KEEP, ConfigValues.MAX_DURATION).orElse(d.results());
        Duration deliveredDefault = map.has("results") ? results : d.delivered();
        Duration delivered = ConfigValues.duration(map, "delivered", MIN_KEEP, ConfigValues.MAX_DURATION).orElse(deliveredDefault);
        long maxDatabase = ConfigValues.size(map, "maxDatabase", MIN_DATABASE, MAX_DATABASE).orElse(d.maxDatabase());
        Duration prune = ConfigValues.duration(map, "pruneInterval", Duration.ofSeconds(1), Duration.ofDays(1))
                .orElse(d.pruneInterval());
        if (map.has("delivered") && delivered.compareTo(results) > 0) {
            context.warnings().add(map.value("delivered"), map.path("delivered"), "delivered (" + ConfigValues.formatDuration(delivered)
                    + ") is longer than results (" + ConfigValues.formatDuration(results) + "), which removes every result"
                    + " first; delivered results are kept " + ConfigValues.formatDuration(results));
            delivered = results;
        }
        return new RetentionConfig(results, maxDatabase, prune, delivered);
    }
}
