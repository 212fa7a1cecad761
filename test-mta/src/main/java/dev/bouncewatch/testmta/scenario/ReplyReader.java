package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.yaml.Problems;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import dev.bouncewatch.testmta.smtp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads a reply in any of its three spellings: the text form {@code "550 5.1.1 text"}, a catalogue
 * reference {@code "@gmail.no_such_user"}, or a mapping {@code {code, esc, text | lines}}.
 */
final class ReplyReader {

    static final Set<String> MAPPING_KEYS = Set.of("code", "esc", "text", "lines");
    static final Set<String> CATALOG_ENTRY_KEYS = Set.of("code", "esc", "text", "lines", "about");

    private ReplyReader() {
    }

    /** @param catalog for {@code @name} references; null where references are not allowed */
    static Optional<ReplyTemplate> read(Node node, String path, Problems problems, Catalog catalog) {
        if (node instanceof ScalarNode s && !YamlValues.isNull(node)) {
            String text = s.getValue();
            if (text.startsWith("@")) {
                return reference(text.substring(1), node, path, problems, catalog);
            }
            try {
                return Optional.of(ReplyTemplate.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add(node, path, e.getMessage());
                return Optional.empty();
            }
        }
        return YamlMap.open(node, path, problems, MAPPING_KEYS).flatMap(map -> fromMapping(map));
    }

    private static Optional<ReplyTemplate> reference(String name, Node node, String path, Problems problems, Catalog catalog) {
        if (catalog == null) {
            problems.add(node, path, "a catalogue entry cannot refer to another entry; write the reply out");
            return Optional.empty();
        }
        Optional<ReplyTemplate> found = catalog.get(name);
        if (found.isEmpty()) {
            problems.add(node, path, "no catalogue entry named '" + name + "'" + similar(name, catalog)
                    + "; define it under catalog: or use a built-in name (see test-mta/src/main/resources/" + Catalog.RESOURCE + ")");
        }
        return found;
    }

    private static String similar(String name, Catalog catalog) {
        String prefix = name.contains(".") ? name.substring(0, name.indexOf('.') + 1) : name;
        List<String> close = new ArrayList<>();
        for (String n : catalog.names()) {
            if (n.startsWith(prefix) || n.endsWith(name.substring(name.indexOf('.') + 1))) {
                close.add(n);
            }
        }
        return close.isEmpty() || close.size() > 12 ? "" : " (similar: " + String.join(", ", close) + ")";
    }

    /** Reads a {@code {code, esc, text | lines}} mapping (also catalogue entries, which may add {@code about}). */
    static Optional<ReplyTemplate> fromMapping(YamlMap map) {
        Problems problems = map.problems();
        Optional<Long> code = map.integer("code", 200, 599);
        if (!map.has("code")) {
            map.missing("code", "a reply code from 200 to 599");
        }
        Optional<String> esc = map.string("esc");
        if (esc.isPresent() && !Reply.isEnhancedCode(esc.get())) {
            problems.add(map.value("esc"), map.path("esc"), "expected an enhanced status code like 5.1.1 (class 2, 4 or 5), got '"
                    + esc.get() + "'");
            return Optional.empty();
        }
        List<String> lines = new ArrayList<>();
        if (map.has("text") && map.has("lines")) {
            problems.add(map.keyNode("lines"), map.path("lines"), "give either text or lines, not both");
            return Optional.empty();
        }
        if (map.has("text")) {
            Optional<String> text = map.string("text");
            if (text.isEmpty()) {
                return Optional.empty();
            }
            lines.addAll(List.of(text.get().split("\r?\n", -1)));
        } else if (map.has("lines")) {
            Optional<List<YamlValues.Located>> list = map.stringList("lines");
            if (list.isEmpty()) {
                return Optional.empty();
            }
            list.get().forEach(l -> lines.add(l.value()));
        }
        if (code.isEmpty()) {
            return Optional.empty();
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                problems.add(map.node(), map.path("lines"), "a line must not contain CR or LF; use one list item per line");
                return Optional.empty();
            }
        }
        try {
            return Optional.of(ReplyTemplate.of(new Reply(code.get().intValue(), esc.orElse(null), lines), null));
        } catch (IllegalArgumentException e) {
            problems.add(map.value("esc") != null ? map.value("esc") : map.value("code"), map.path(map.has("esc") ? "esc" : "code"),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
