package dev.bouncewatch.agent.config;

import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.notify.DestinationUrl;
import dev.bouncewatch.agent.notify.EventFilter;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.webhook.WebhookSecret;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads {@code notify.webhooks}: a list of signed webhook endpoints.
 * <pre>
 * webhooks:
 *   - name: crm
 *     url: https://crm.example.com/hooks/bounces
 *     secret: {file: /etc/bouncewatch/crm.secret}   # or a list [new, old] during a rotation
 *     events: [message.bounced, recipient.suppressed]  # default: all but message.delivered
 *     categories: [userunknown, hostunknown]            # default: all
 *     domains: [gmail.com]                             # default: all
 *     allowInsecure: false                             # true permits http:// (loopback, tests)
 *     timeout: 15s
 * </pre>
 */
public final class WebhookConfigReader {

    public static final Set<String> KEYS = new LinkedHashSet<>(List.of("name", "url", "secret", "events", "categories",
            "domains", "allowInsecure", "timeout"));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DOMAIN = Pattern.compile("@?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?");
    private static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private final ConfigContext context;
    private final DestinationNames names;

    /** @param names destination names seen so far in {@code notify:} (they must be unique across kinds) */
    public WebhookConfigReader(ConfigContext context, DestinationNames names) {
        this.context = context;
        this.names = names;
    }

    /** @param node the value of {@code notify.webhooks}; null or empty means none */
    public List<WebhookConfig> read(Node node, String path) {
        List<WebhookConfig> out = new ArrayList<>();
        if (node == null || YamlValues.isNull(node)) {
            return out;
        }
        if (!(node instanceof SequenceNode seq)) {
            context.problems().add(node, path, "expected a list of webhooks (lines starting with '- name:') but found "
                    + YamlValues.describe(node));
            return out;
        }
        int i = 0;
        for (Node item : seq.getValue()) {
            readOne(item, path + "[" + i++ + "]").ifPresent(out::add);
        }
        return out;
    }

    private Optional<WebhookConfig> readOne(Node node, String path) {
        Optional<YamlMap> opened = YamlMap.open(node, path, context.problems(), KEYS);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        YamlMap map = opened.get();
        int before = context.problems().count();

        String name = null;
        if (!map.has("name")) {
            map.missing("name", "a name for this webhook, e.g. name: crm (used in logs and by 'bouncewatch outbox')");
        } else {
            name = map.string("name").map(String::strip).orElse(null);
            if (name != null && !NAME.matcher(name).matches()) {
                context.problems().add(map.value("name"), map.path("name"), "'" + name
                        + "' is not a usable name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
                name = null;
            }
            if (name != null) {
                names.claim(name, map.value("name"), map.path("name"));
            }
        }

        boolean allowInsecure = map.bool("allowInsecure").orElse(false);
        URI url = null;
        if (!map.has("url")) {
            map.missing("url", "the receiver's https:// address");
        } else {
            url = map.string("url").flatMap(text -> parseUrl(text, map, allowInsecure)).orElse(null);
        }

        List<Secret> secrets = List.of();
        if (!map.has("secret")) {
            map.missing("secret", "the signing secret (whsec_ followed by base64), e.g. secret: {file: /etc/bouncewatch/"
                    + (name == null ? "webhook" : name) + ".secret}");
        } else {
            secrets = ConfigValues.secrets(map.value("secret"), map.path("secret"), context).orElse(List.of());
            for (Secret s : secrets) {
                try {
                    WebhookSecret.parse(s.reveal());
                } catch (IllegalArgumentException e) {
                    context.problems().add(map.value("secret"), map.path("secret"), "secret from " + s.origin() + ": "
                            + e.getMessage());
                }
            }
        }

        Set<EventType> events = map.has("events") ? events(map) : EventFilter.DEFAULT_TYPES;
        Set<String> categories = map.has("categories") ? categories(map) : Set.of();
        Set<String> domains = map.has("domains") ? domains(map) : Set.of();
        Duration timeout = ConfigValues.duration(map, "timeout", MIN_TIMEOUT, MAX_TIMEOUT).orElse(WebhookConfig.DEFAULT_TIMEOUT);

        if (context.problems().count() > before || name == null || url == null || secrets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new WebhookConfig(name, url, secrets, events, categories, domains, allowInsecure, timeout));
    }

    private Optional<URI> parseUrl(String text, YamlMap map, boolean allowInsecure) {
        Node node = map.value("url");
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            // the reason quotes the input, which may carry a token in its query: give the position only
            context.problems().add(node, map.path("url"), "not a valid URL (check character " + (e.getIndex() + 1)
                    + "; spaces and some symbols must be %-encoded)");
            return Optional.empty();
        }
        Optional<String> problem = DestinationUrl.problem(url, allowInsecure);
        if (problem.isPresent()) {
            context.problems().add(node, map.path("url"), problem.get());
            return Optional.empty();
        }
        if (DestinationUrl.insecureRemote(url)) {
            context.warnings().add(node, map.path("url"), "plain http to " + url.getHost()
                    + ", which is not loopback: events and their signatures travel unencrypted");
        }
        return Optional.of(url);
    }

    private Set<EventType> events(YamlMap map) {
        Set<EventType> out = EnumSet.noneOf(EventType.class);
        List<String> wire = Arrays.stream(EventType.values()).map(EventType::wireName).toList();
        for (YamlValues.Located item : map.stringList("events").orElse(List.of())) {
            String v = item.value().strip().toLowerCase(Locale.ROOT);
            if (v.equals("all") || v.equals("*")) {
                out.addAll(EnumSet.allOf(EventType.class));
            } else if (v.endsWith(".*")) {
                String prefix = v.substring(0, v.length() - 1);
                List<EventType> matched = Arrays.stream(EventType.values()).filter(t -> t.wireName().startsWith(prefix)).toList();
                if (matched.isEmpty()) {
                    context.problems().add(item.node(), map.path("events"), "no event type starts with '" + prefix
                            + "'; expected some of: " + String.join(", ", wire));
                }
                out.addAll(matched);
            } else if (wire.contains(v)) {
                out.add(EventType.fromWireName(v));
            } else {
                context.problems().add(item.node(), map.path("events"), "unknown event type '" + item.value() + "'"
                        + ConfigValues.didYouMean(v, wire) + "; expected some of: " + String.join(", ", wire)
                        + " (or message.*, all)");
            }
        }
        return out;
    }

    private Set<String> categories(YamlMap map) {
        Set<String> out = new LinkedHashSet<>();
        List<String> known = Arrays.stream(Category.values()).map(Category::wireName).toList();
        for (YamlValues.Located item : map.stringList("categories").orElse(List.of())) {
            String v = item.value().strip().toLowerCase(Locale.ROOT);
            Optional<Category> c = Category.fromWireName(v);
            if (c.isPresent()) {
                out.add(c.get().wireName());
            } else {
                context.problems().add(item.node(), map.path("categories"), "unknown category '" + item.value() + "'"
                        + ConfigValues.didYouMean(v, known) + "; the categories are those of 'bouncewatch classify'");
            }
        }
        return out;
    }

    private Set<String> domains(YamlMap map) {
        Set<String> out = new LinkedHashSet<>();
        for (YamlValues.Located item : map.stringList("domains").orElse(List.of())) {
            String v = item.value().strip().toLowerCase(Locale.ROOT);
            if (v.length() > 253 || !DOMAIN.matcher(v).matches()) {
                context.problems().add(item.node(), map.path("domains"), "'" + item.value()
                        + "' is not a domain name (e.g. gmail.com; it also matches its subdomains)");
            } else {
                out.add(v.startsWith("@") ? v.substring(1) : v);
            }
        }
        return out;
    }
}
