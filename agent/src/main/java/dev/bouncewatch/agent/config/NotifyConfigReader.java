package dev.bouncewatch.agent.config;

import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code notify:}. Each destination kind ({@code console} now; Slack, webhooks, alerts and
 * the digest next) is one key here, read by its own method or class with the shared
 * {@link ConfigContext} and the value readers of {@link ConfigValues} (durations, secrets, paths).
 */
public final class NotifyConfigReader {

    /** The keys of {@code notify:}; add a key here and document it in systemd/agent.yml. */
    public static final Set<String> KEYS = new LinkedHashSet<>(List.of("console", "maxEventAge", "webhooks", "slack", "alerts", "digest"));

    private final ConfigContext context;

    public NotifyConfigReader(ConfigContext context) {
        this.context = context;
    }

    /** @param node the value of {@code notify:}, null when the key is absent */
    public NotifyConfig read(Node node) {
        NotifyConfig d = NotifyConfig.defaults();
        if (node == null || YamlValues.isNull(node)) {
            return d;
        }
        Optional<YamlMap> opened = YamlMap.open(node, "notify", context.problems(), KEYS);
        if (opened.isEmpty()) {
            return d;
        }
        YamlMap map = opened.get();
        boolean console = map.bool("console").orElse(d.console());
        DestinationNames names = new DestinationNames(context);
        if (console) {
            names.reserve("console");
        }
        List<WebhookConfig> webhooks = new WebhookConfigReader(context, names).read(map.value("webhooks"), map.path("webhooks"));
        NotifyConfig config = new NotifyConfig(console, webhooks,
                new SlackConfigReader(context, names).read(map.value("slack")),
                AlertsConfigReader.read(map.value("alerts"), context),
                DigestConfigReader.read(map.value("digest"), context),
                ConfigValues.duration(map, "maxEventAge", Duration.ZERO, Duration.ofDays(3650)).orElse(d.maxEventAge()));
        if (config.destinationNames().isEmpty()) {
            context.warnings().add(map.node(), "notify", "no destination: notifications are neither printed nor sent");
        }
        return config;
    }
}
