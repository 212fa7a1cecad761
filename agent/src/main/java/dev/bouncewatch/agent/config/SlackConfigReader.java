package dev.bouncewatch.agent.config;

import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads {@code notify.slack}: a list of incoming webhooks. The URL is a secret (whoever has it can
 * post to the channel), so it may come from {@code {env:}} or {@code {file:}}, and no message ever
 * shows it; it must be https unless {@code allowInsecure} is set.
 */
final class SlackConfigReader {

    static final Set<String> KEYS = new LinkedHashSet<>(List.of("name", "url", "allowInsecure", "events", "minSeverity",
            "timeout"));
    /** What Slack may get: summaries, never one message per delivery result. */
    static final Set<EventType> SLACK_TYPES = EnumSet.of(EventType.ALERT_FIRING, EventType.ALERT_RESOLVED,
            EventType.REPORT_DIGEST, EventType.AGENT_HEALTH, EventType.WEBHOOK_TEST);
    private static final List<String> SEVERITIES = List.of("warning", "critical");

    private final ConfigContext context;
    private final DestinationNames names;

    /** @param names destination names claimed so far under notify (console, webhooks); the Slack names join them */
    SlackConfigReader(ConfigContext context, DestinationNames names) {
        this.context = context;
        this.names = names;
    }

    List<SlackConfig> read(Node node) {
        List<SlackConfig> out = new ArrayList<>();
        if (node == null || YamlValues.isNull(node)) {
            return out;
        }
        if (!(node instanceof SequenceNode seq)) {
            context.problems().add(node, "notify.slack", "expected a list of webhooks (- name: ..., url: ...) but found "
                    + YamlValues.describe(node));
            return out;
        }
        int i = 0;
        for (Node item : seq.getValue()) {
            String path = "notify.slack[" + i++ + "]";
            YamlMap.open(item, path, context.problems(), KEYS).flatMap(this::one).ifPresent(out::add);
        }
        return out;
    }

    private Optional<SlackConfig> one(YamlMap map) {
        Optional<String> name = map.string("name").map(String::strip);
        if (!map.has("name")) {
            map.missing("name", "a name for this destination, e.g. ops-slack");
        }
        name.ifPresent(n -> {
            if (!n.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                context.problems().add(map.value("name"), map.path("name"),
                        "a destination name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            } else {
                names.claim(n, map.value("name"), map.path("name"));
            }
        });
        boolean insecure = map.bool("allowInsecure").orElse(false);
        if (!map.has("url")) {
            map.missing("url", "the webhook URL Slack showed (https://hooks.slack.com/services/...), or {env: NAME} or {file: PATH}");
        }
        Optional<Secret> url = ConfigValues.secret(map, "url", context).filter(u -> checkUrl(u, insecure, map));
        Set<EventType> events = events(map);
        AlertSeverity minSeverity = ConfigValues.choice(map, "minSeverity", SEVERITIES).map(AlertSeverity::fromWireName)
                .orElse(AlertSeverity.WARNING);
        Duration timeout = ConfigValues.duration(map, "timeout", Duration.ofSeconds(1), Duration.ofMinutes(1))
                .orElse(SlackConfig.DEFAULT_TIMEOUT);
        if (name.isEmpty() || url.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SlackConfig(name.get(), url.get(), insecure, events, minSeverity, timeout));
    }

    private boolean checkUrl(Secret url, boolean insecure, YamlMap map) {
        String where = "(from " + url.origin() + "; the value is not shown: it is a secret)";
        URI u;
        try {
            u = new URI(url.reveal().strip());
        } catch (URISyntaxException e) {
            context.problems().add(map.value("url"), map.path("url"), "not a valid URL " + where);
            return false;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (u.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            context.problems().add(map.value("url"), map.path("url"), "expected an https:// URL " + where);
            return false;
        }
        if (scheme.equals("http") && !insecure) {
            context.problems().add(map.value("url"), map.path("url"), "a plain http URL " + where
                    + "; use https, or set allowInsecure: true for a receiver on loopback or in a test");
            return false;
        }
        return true;
    }

    private Set<EventType> events(YamlMap map) {
        Set<EventType> out = EnumSet.noneOf(EventType.class);
        map.stringList("events").ifPresent(list -> {
            for (YamlValues.Located item : list) {
                EventType t;
                try {
                    t = EventType.fromWireName(item.value().strip());
                } catch (IllegalArgumentException e) {
                    t = null;
                }
                if (t == null || !SLACK_TYPES.contains(t)) {
                    context.problems().add(item.node(), map.path("events"), "'" + item.value() + "' is not an event Slack takes;"
                            + " expected some of: " + String.join(", ", SLACK_TYPES.stream().map(EventType::wireName).toList())
                            + (t != null ? " (Slack never gets one message per delivery result)" : ""));
                } else {
                    out.add(t);
                }
            }
        });
        return out;
    }
}
