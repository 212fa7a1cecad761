package dev.bouncewatch.agent.config;

import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code notify.digest}: {@code enabled}, {@code time} (24-hour HH:MM), {@code timezone} (IANA name). */
final class DigestConfigReader {

    static final Set<String> KEYS = new LinkedHashSet<>(List.of("enabled", "time", "timezone"));
    private static final Pattern TIME = Pattern.compile("([01]?\\d|2[0-3]):([0-5]\\d)");

    private DigestConfigReader() {
    }

    static DigestConfig read(Node node, ConfigContext context) {
        DigestConfig d = DigestConfig.defaults();
        if (node == null || YamlValues.isNull(node)) {
            return d;
        }
        return YamlMap.open(node, "notify.digest", context.problems(), KEYS).map(map -> {
            boolean enabled = map.bool("enabled").orElse(d.enabled());
            LocalTime time = map.string("time").flatMap(t -> time(t, map)).orElse(d.time());
            ZoneId zone = map.string("timezone").flatMap(z -> zone(z, map)).orElse(d.timezone());
            return new DigestConfig(enabled, time, zone);
        }).orElse(d);
    }

    private static Optional<LocalTime> time(String text, YamlMap map) {
        Matcher m = TIME.matcher(text.strip());
        if (!m.matches()) {
            map.problems().add(map.value("time"), map.path("time"), "expected a 24-hour time like 08:00, got '" + text + "'");
            return Optional.empty();
        }
        return Optional.of(LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    }

    private static Optional<ZoneId> zone(String text, YamlMap map) {
        try {
            return Optional.of(ZoneId.of(text.strip()));
        } catch (DateTimeException e) {
            map.problems().add(map.value("timezone"), map.path("timezone"), "unknown time zone '" + text
                    + "'; use an IANA name like Europe/Berlin, America/New_York or UTC");
            return Optional.empty();
        }
    }
}
