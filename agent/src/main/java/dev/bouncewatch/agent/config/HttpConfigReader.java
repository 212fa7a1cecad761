package dev.bouncewatch.agent.config;

import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code http:}; keys left out keep {@link HttpConfig#defaults()}. */
final class HttpConfigReader {

    static final Set<String> KEYS = new LinkedHashSet<>(List.of("enabled", "listen", "token"));

    /** RFC 6750 b64token: what may follow "Bearer " in an Authorization header. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    /** Below this a token can be guessed; 32 hex digits or 24 base64 characters are plenty. */
    static final int SHORT_TOKEN = 16;

    private HttpConfigReader() {
    }

    static HttpConfig read(Node node, ConfigContext context) {
        HttpConfig d = HttpConfig.defaults();
        if (node == null || YamlValues.isNull(node)) {
            return d;
        }
        Optional<YamlMap> opened = YamlMap.open(node, "http", context.problems(), KEYS);
        if (opened.isEmpty()) {
            return d;
        }
        YamlMap map = opened.get();
        boolean enabled = map.bool("enabled").orElse(d.enabled());
        InetSocketAddress listen = ConfigValues.hostPort(map, "listen").orElse(d.listen());
        Secret token = ConfigValues.secret(map, "token", context).orElse(null);
        if (token != null) {
            // never quote the value: this message ends up in logs
            if (!BEARER_TOKEN.matcher(token.reveal()).matches()) {
                context.problems().add(map.value("token"), map.path("token"), "the token (from " + token.origin()
                        + ") may contain only letters, digits and - . _ ~ + / (and = at the end), as a Bearer token must"
                        + " (RFC 6750); generate one with: openssl rand -hex 32");
            } else if (token.reveal().length() < SHORT_TOKEN) {
                context.warnings().add(map.value("token"), map.path("token"), "the token (from " + token.origin()
                        + ") is shorter than " + SHORT_TOKEN + " characters and easy to guess; generate one with: openssl rand -hex 32");
            }
        }
        if (enabled && token == null && !ConfigValues.isLoopback(listen)) {
            Node where = map.has("listen") ? map.value("listen") : map.node();
            context.warnings().add(where, map.path("listen"), "the API on " + ConfigValues.formatHostPort(listen)
                    + " can be reached from other hosts and has no token: anyone who can connect reads recipient"
                    + " addresses; set http.token or listen on 127.0.0.1");
        }
        return new HttpConfig(enabled, listen, token);
    }
}
