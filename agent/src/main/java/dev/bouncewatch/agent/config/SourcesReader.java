package dev.bouncewatch.agent.config;

import dev.bouncewatch.agent.parse.MtaChoice;
import dev.bouncewatch.testmta.yaml.Problems;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads {@code sources:}, a list of {@code {type: ...}} entries. Each type has its own keys, so a
 * key that belongs to another type ({@code units} on a file source) is reported as unknown there.
 * Two entries that would read the same thing are an error: every line would be counted twice.
 */
final class SourcesReader {

    /** Keys per {@code type}, in the order the documentation lists them. */
    static final Map<String, Set<String>> KEYS_BY_TYPE = keysByType();

    private static final List<String> FORMATS = Arrays.stream(MtaChoice.values())
            .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    private static final Duration MIN_POLL = Duration.ofMillis(10);
    private static final Duration MAX_POLL = Duration.ofMinutes(10);
    /** systemd unit names (systemd.unit(5)): ASCII letters, digits, ":-_.\" and "@" for instances. */
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.\\\\@-]{1,255}");
    /** A syslog tag such as postfix/smtp: printable, no spaces, no '='. */
    private static final Pattern IDENTIFIER = Pattern.compile("[!-<>-~]{1,128}");

    private final ConfigContext context;
    private final Problems problems;
    /** What each entry reads, to find duplicates: identity -> the entry that came first. */
    private final Map<String, String> seen = new HashMap<>();

    SourcesReader(ConfigContext context) {
        this.context = context;
        this.problems = context.problems();
    }

    private static Map<String, Set<String>> keysByType() {
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        keys.put("file", ordered("type", "path", "format", "pollInterval"));
        keys.put("journal", ordered("type", "units", "identifiers", "journalctl", "directory"));
        keys.put("sink", ordered("type", "listen", "scenario"));
        keys.put("auto", ordered("type", "pollInterval"));
        return keys;
    }

    private static Set<String> ordered(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }

    List<SourceConfig> read(Node node) {
        List<SourceConfig> sources = new ArrayList<>();
        if (!(node instanceof SequenceNode seq)) {
            problems.add(node, "sources", "expected a list of sources (lines starting with '- type: ...') but found "
                    + YamlValues.describe(node) + "; leave the key out for the defaults (auto and the sink)");
            return sources;
        }
        if (seq.getValue().isEmpty()) {
            problems.add(node, "sources", "the list is empty; give at least one source or leave the key out for the defaults");
            return sources;
        }
        int i = 0;
        for (Node item : seq.getValue()) {
            readOne(item, "sources[" + i++ + "]").ifPresent(sources::add);
        }
        return sources;
    }

    private Optional<SourceConfig> readOne(Node node, String path) {
        Optional<String> type = type(node, path);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Optional<YamlMap> opened = YamlMap.open(node, path, problems, KEYS_BY_TYPE.get(type.get()));
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        YamlMap map = opened.get();
        int before = problems.count();
        SourceConfig source = switch (type.get()) {
            case "file" -> file(map);
            case "journal" -> journal(map);
            case "sink" -> sink(map);
            default -> new SourceConfig.Auto(pollInterval(map));
        };
        if (source == null || problems.count() > before) {
            return Optional.empty();
        }
        checkDuplicate(source, map);
        return Optional.of(source);
    }

    /** The {@code type} value, read before the map is opened because it decides which keys are allowed. */
    private Optional<String> type(Node node, String path) {
        if (!(node instanceof MappingNode mapping)) {
            problems.add(node, path, "expected a source (a mapping with 'type: file', 'journal', 'sink' or 'auto') but found "
                    + YamlValues.describe(node));
            return Optional.empty();
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("type")) {
                Optional<String> text = YamlValues.string(tuple.getValueNode(), path + ".type", problems);
                if (text.isEmpty()) {
                    return Optional.empty();
                }
                String type = text.get().strip().toLowerCase(Locale.ROOT);
                if (!KEYS_BY_TYPE.containsKey(type)) {
                    problems.add(tuple.getValueNode(), path + ".type", "unknown source type '" + text.get() + "'"
                            + ConfigValues.didYouMean(type, KEYS_BY_TYPE.keySet()) + "; expected one of: "
                            + String.join(", ", KEYS_BY_TYPE.keySet()));
                    return Optional.empty();
                }
                return Optional.of(type);
            }
        }
        problems.add(node, path + ".type", "missing; expected one of: " + String.join(", ", KEYS_BY_TYPE.keySet()));
        return Optional.empty();
    }

    private SourceConfig file(YamlMap map) {
        if (!map.has("path")) {
            map.missing("path", "the log file to follow, e.g. path: /var/log/mail.log");
            return null;
        }
        Optional<Path> path = ConfigValues.path(map, "path", context);
        MtaChoice format = ConfigValues.choice(map, "format", FORMATS).map(MtaChoice::fromWireName).orElse(MtaChoice.AUTO);
        Duration poll = pollInterval(map);
        if (path.isEmpty()) {
            return null;
        }
        if (Files.isDirectory(path.get())) {
            problems.add(map.value("path"), map.path("path"), path.get() + " is a directory; name the log file in it");
            return null;
        }
        if (!Files.exists(path.get())) {
            context.warnings().add(map.value("path"), map.path("path"), path.get()
                    + " does not exist (yet); the agent waits for it to appear");
        }
        return new SourceConfig.File(path.get(), format, poll);
    }

    private SourceConfig journal(YamlMap map) {
        List<String> units = names(map, "units", UNIT, "a systemd unit name like postfix@-.service");
        List<String> identifiers = names(map, "identifiers", IDENTIFIER, "a syslog identifier like postfix/smtp");
        if (!map.has("units") && !map.has("identifiers")) {
            units = SourceConfig.Journal.DEFAULT_UNITS;
        }
        String journalctl = map.string("journalctl").map(String::strip).orElse(SourceConfig.Journal.DEFAULT_JOURNALCTL);
        if (map.has("journalctl")) {
            if (journalctl.isEmpty()) {
                problems.add(map.value("journalctl"), map.path("journalctl"), "expected a command name or path, e.g. /usr/bin/journalctl");
            } else if (journalctl.contains("/")) {
                // a path is taken like every other path: relative to the config file
                journalctl = context.resolve(journalctl).toString();
            }
        }
        Path directory = ConfigValues.path(map, "directory", context).orElse(null);
        if (directory != null && Files.exists(directory) && !Files.isDirectory(directory)) {
            problems.add(map.value("directory"), map.path("directory"), directory + " is not a directory");
        } else if (directory != null && !Files.exists(directory)) {
            context.warnings().add(map.value("directory"), map.path("directory"), directory + " does not exist (yet)");
        }
        return new SourceConfig.Journal(units, identifiers, journalctl, directory);
    }

    private List<String> names(YamlMap map, String key, Pattern pattern, String expected) {
        List<String> out = new ArrayList<>();
        map.stringList(key).ifPresent(list -> {
            for (YamlValues.Located v : list) {
                String name = v.value().strip();
                if (!pattern.matcher(name).matches()) {
                    problems.add(v.node(), map.path(key), "expected " + expected + ", got '" + v.value() + "'");
                } else if (!out.contains(name)) {
                    out.add(name);
                }
            }
        });
        return List.copyOf(out);
    }

    private SourceConfig sink(YamlMap map) {
        InetSocketAddress listen = ConfigValues.hostPort(map, "listen").orElse(SourceConfig.Sink.DEFAULT_LISTEN);
        if (map.has("listen") && !ConfigValues.isLoopback(listen)) {
            context.warnings().add(map.value("listen"), map.path("listen"), "the test sink on "
                    + ConfigValues.formatHostPort(listen) + " answers anyone who can reach it; keep it on 127.0.0.1 unless"
                    + " a test MTA on another host relays to it");
        }
        Path scenario = ConfigValues.path(map, "scenario", context).orElse(null);
        if (scenario != null && !Files.isRegularFile(scenario)) {
            problems.add(map.value("scenario"), map.path("scenario"), Files.exists(scenario)
                    ? scenario + " is not a file" : "no such file " + scenario + " (leave the key out for the built-in scenario)");
            return null;
        }
        return new SourceConfig.Sink(listen, scenario);
    }

    private Duration pollInterval(YamlMap map) {
        return ConfigValues.duration(map, "pollInterval", MIN_POLL, MAX_POLL).orElse(SourceConfig.DEFAULT_POLL_INTERVAL);
    }

    private void checkDuplicate(SourceConfig source, YamlMap map) {
        int line = map.node().getStartMark().map(m -> m.getLine() + 1).orElse(0);
        String here = map.path() + " (line " + line + ")";
        for (String identity : identities(source)) {
            String first = seen.putIfAbsent(identity, here);
            if (first != null) {
                problems.add(map.node(), map.path(), "duplicate source: " + identity + " is already in " + first
                        + "; each line would be counted twice");
                return;
            }
        }
    }

    /** What a source reads or binds; two sources sharing one of these collide. */
    private static List<String> identities(SourceConfig source) {
        if (source instanceof SourceConfig.File f) {
            return List.of("file " + f.path());
        }
        if (source instanceof SourceConfig.Journal j) {
            String journal = j.directory() == null ? "the system journal" : "the journal in " + j.directory();
            List<String> out = new ArrayList<>();
            j.units().forEach(u -> out.add("unit " + u + " of " + journal));
            j.identifiers().forEach(id -> out.add("identifier " + id + " of " + journal));
            return out;
        }
        if (source instanceof SourceConfig.Sink s) {
            // port 0 picks a free port each time, so it never collides
            return s.listen().getPort() == 0 ? List.of() : List.of("sink port " + s.listen().getPort());
        }
        return List.of("type auto");
    }
}
