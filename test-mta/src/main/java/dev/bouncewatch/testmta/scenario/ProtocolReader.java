package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.yaml.Problems;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import dev.bouncewatch.testmta.session.Extension;
import dev.bouncewatch.testmta.session.ProtocolOptions;
import dev.bouncewatch.testmta.session.ProtocolOptions.BareLineFeedPolicy;
import dev.bouncewatch.testmta.session.ProtocolOptions.StarttlsLeftoverPolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads the {@code protocol:} section into {@link ProtocolOptions}; absent keys keep the RFC-correct defaults. */
final class ProtocolReader {

    static final Set<String> KEYS = new LinkedHashSet<>(List.of("hostname", "advertise", "refuse", "size_limit",
            "max_recipients", "max_command_line", "bare_lf", "starttls_leftover", "idle_timeout", "auth_users",
            "require_tls", "require_auth", "max_connections", "max_connections_per_ip", "magic_addresses"));

    private ProtocolReader() {
    }

    static ProtocolOptions read(Node node, Problems problems) {
        ProtocolOptions d = ProtocolOptions.defaults();
        if (node == null) {
            return d;
        }
        Optional<YamlMap> opened = YamlMap.open(node, "protocol", problems, KEYS);
        if (opened.isEmpty()) {
            return d;
        }
        YamlMap map = opened.get();
        String hostname = map.string("hostname").orElse(d.hostname());
        if (map.has("hostname") && !hostname.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})")) {
            problems.add(map.value("hostname"), map.path("hostname"), "expected a host name like mx.staging.example, got '" + hostname + "'");
        }
        Set<Extension> advertised = extensions(map, "advertise").orElse(d.advertised());
        Set<Extension> refused = extensions(map, "refuse").orElse(d.refused());
        for (Extension e : refused) {
            if (!advertised.contains(e)) {
                problems.add(map.value("refuse"), map.path("refuse"), e.keyword()
                        + " is refused but not advertised; refuse lists advertised extensions that then answer with an error");
            }
        }
        long sizeLimit = d.sizeLimit();
        if (map.has("size_limit")) {
            sizeLimit = map.string("size_limit").map(s -> {
                try {
                    return Quantities.size(s);
                } catch (IllegalArgumentException e) {
                    problems.add(map.value("size_limit"), map.path("size_limit"), e.getMessage() + " (0 means no limit)");
                    return d.sizeLimit();
                }
            }).orElse(d.sizeLimit());
        }
        int maxRecipients = map.integer("max_recipients", 1, 100_000).orElse((long) d.maxRecipients()).intValue();
        int maxCommandLine = map.integer("max_command_line", 512, 1_048_576).orElse((long) d.maxCommandLine()).intValue();
        BareLineFeedPolicy bareLf = choice(map, "bare_lf", BareLineFeedPolicy.class).orElse(d.bareLineFeed());
        StarttlsLeftoverPolicy leftover = choice(map, "starttls_leftover", StarttlsLeftoverPolicy.class).orElse(d.starttlsLeftover());
        Duration idle = d.idleTimeout();
        if (map.has("idle_timeout")) {
            idle = duration(map, "idle_timeout").orElse(d.idleTimeout());
            if (idle.toMillis() < 1000) {
                problems.add(map.value("idle_timeout"), map.path("idle_timeout"), "must be at least 1s (RFC 5321 asks for 5m)");
                idle = d.idleTimeout();
            }
        }
        Map<String, String> users = d.authUsers();
        if (map.has("auth_users")) {
            users = authUsers(map.value("auth_users"), problems);
        }
        boolean requireTls = map.bool("require_tls").orElse(d.requireTls());
        boolean requireAuth = map.bool("require_auth").orElse(d.requireAuth());
        if (requireTls && !advertised.contains(Extension.STARTTLS)) {
            problems.add(map.value("require_tls"), map.path("require_tls"), "require_tls needs STARTTLS in advertise");
        }
        if (requireAuth && users.isEmpty()) {
            problems.add(map.value("require_auth"), map.path("require_auth"), "require_auth needs at least one user in auth_users");
        }
        int maxConnections = map.integer("max_connections", 0, 1_000_000).orElse((long) d.maxConnections()).intValue();
        int maxPerIp = map.integer("max_connections_per_ip", 0, 1_000_000).orElse((long) d.maxConnectionsPerIp()).intValue();
        boolean magic = map.bool("magic_addresses").orElse(d.magicAddresses());
        return new ProtocolOptions(hostname, advertised, refused, sizeLimit, maxRecipients, maxCommandLine, bareLf, leftover,
                idle, users, requireTls, requireAuth, maxConnections, maxPerIp, magic);
    }

    private static Optional<Set<Extension>> extensions(YamlMap map, String key) {
        if (!map.has(key)) {
            return Optional.empty();
        }
        Node node = map.value(key);
        if (node instanceof SequenceNode seq && seq.getValue().isEmpty()) {
            return Optional.of(Set.of()); // "advertise: []" is a legitimate plain-SMTP sink
        }
        Optional<List<YamlValues.Located>> names = map.stringList(key);
        if (names.isEmpty()) {
            return Optional.empty();
        }
        Set<Extension> out = EnumSet.noneOf(Extension.class);
        for (YamlValues.Located name : names.get()) {
            try {
                out.add(Extension.fromKeyword(name.value()));
            } catch (IllegalArgumentException e) {
                StringBuilder known = new StringBuilder();
                for (Extension x : Extension.values()) {
                    known.append(known.length() == 0 ? "" : ", ").append(x.keyword());
                }
                map.problems().add(name.node(), map.path(key), "unknown ESMTP extension '" + name.value() + "'; expected one of: " + known);
            }
        }
        return Optional.of(out);
    }

    private static Map<String, String> authUsers(Node node, Problems problems) {
        Map<String, String> users = new LinkedHashMap<>();
        YamlMap.open(node, "protocol.auth_users", problems, Set.of()).ifPresent(m -> {
            for (Map.Entry<ScalarNode, Node> pair : m.pairs()) {
                String path = "protocol.auth_users." + pair.getKey().getValue();
                YamlValues.string(pair.getValue(), path, problems).ifPresent(p -> users.put(pair.getKey().getValue(), p));
            }
        });
        return users;
    }

    static <E extends Enum<E>> Optional<E> choice(YamlMap map, String key, Class<E> type) {
        Optional<String> v = map.string(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.get().strip())) {
                return Optional.of(e);
            }
        }
        StringBuilder expected = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            expected.append(expected.length() == 0 ? "" : " or ").append(e.name().toLowerCase(Locale.ROOT));
        }
        map.problems().add(map.value(key), map.path(key), "expected " + expected + ", got '" + v.get() + "'");
        return Optional.empty();
    }

    static Optional<Duration> duration(YamlMap map, String key) {
        return map.string(key).flatMap(s -> {
            try {
                return Optional.of(Quantities.duration(s));
            } catch (IllegalArgumentException e) {
                map.problems().add(map.value(key), map.path(key), e.getMessage());
                return Optional.empty();
            }
        });
    }
}
