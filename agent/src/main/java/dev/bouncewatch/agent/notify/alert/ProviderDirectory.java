package dev.bouncewatch.agent.notify.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Which mailbox provider a recipient domain belongs to, from the host suffixes of the classifier's
 * own {@code classify/providers.yml}: the MX we talked to ({@code *.google.com}) or, when the
 * domain is a provider's own ({@code outlook.com}), the domain itself. Deferral spikes and
 * bounce rates are judged per provider because its domains share one reputation system.
 */
final class ProviderDirectory {

    private static final String RESOURCE = "classify/providers.yml";

    private record Provider(String name, List<String> hosts) {
    }

    private final List<Provider> providers;

    private ProviderDirectory(List<Provider> providers) {
        this.providers = List.copyOf(providers);
    }

    static ProviderDirectory builtIn() {
        try (InputStream in = ProviderDirectory.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProviderDirectory parse(String yaml) {
        Object root = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        List<Provider> out = new ArrayList<>();
        if (root instanceof Map<?, ?> map && map.get("providers") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> p && p.get("name") instanceof String name && p.get("hosts") instanceof List<?> hosts) {
                    out.add(new Provider(name, hosts.stream().map(h -> String.valueOf(h).toLowerCase(Locale.ROOT)).toList()));
                }
            }
        }
        return new ProviderDirectory(out);
    }

    /**
     * @param relay the remote host as logged ({@code gmail-smtp-in.l.google.com[142.250.27.26]:25}), or null
     */
    Optional<String> providerOf(String recipientDomain, String relay) {
        String host = hostOf(relay);
        for (Provider p : providers) {
            if (matches(p, host)) {
                return Optional.of(p.name());
            }
        }
        for (Provider p : providers) {
            if (matches(p, recipientDomain)) {
                return Optional.of(p.name());
            }
        }
        return Optional.empty();
    }

    private static boolean matches(Provider p, String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        for (String suffix : p.hosts()) {
            if (host.equals(suffix) || host.endsWith("." + suffix)) {
                return true;
            }
        }
        return false;
    }

    static String hostOf(String relay) {
        if (relay == null) {
            return null;
        }
        String h = relay.strip().toLowerCase(Locale.ROOT);
        int bracket = h.indexOf('[');
        if (bracket >= 0) {
            h = h.substring(0, bracket);
        } else if (h.indexOf(':') == h.lastIndexOf(':') && h.indexOf(':') > 0) {
            h = h.substring(0, h.indexOf(':')); // host:port, but not a bare IPv6 address
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
