package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.yaml.Problems;
import dev.bouncewatch.testmta.yaml.YamlDocuments;
import dev.bouncewatch.testmta.yaml.YamlMap;
import dev.bouncewatch.testmta.yaml.YamlValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads catalogue entries: the built-in resource and a scenario's {@code catalog:} section. */
final class CatalogReader {

    private CatalogReader() {
    }

    static Catalog readBuiltIn(String text, String source) throws ScenarioException {
        Problems problems = new Problems(source);
        Node root = YamlDocuments.compose(text, problems, ScenarioLoader.MAX_CHARS, "a scenario");
        Map<String, ReplyTemplate> entries = new LinkedHashMap<>();
        Map<String, String> about = new LinkedHashMap<>();
        Map<Integer, String> magic = new LinkedHashMap<>();
        if (root != null) {
            YamlMap.open(root, "", problems, Set.of("replies", "magic")).ifPresent(top -> {
                if (top.has("replies")) {
                    readEntries(top.value("replies"), "replies", problems, entries, about);
                } else {
                    top.missing("replies", "a mapping of entry names to replies");
                }
                if (top.has("magic")) {
                    YamlMap.open(top.value("magic"), "magic", problems, Set.of()).ifPresent(m -> {
                        for (Map.Entry<ScalarNode, Node> pair : m.pairs()) {
                            String path = "magic." + pair.getKey().getValue();
                            Optional<Long> code = YamlValues.integer(pair.getKey(), path, problems, 200, 599);
                            Optional<String> name = YamlValues.string(pair.getValue(), path, problems);
                            if (code.isPresent() && name.isPresent()) {
                                ReplyTemplate t = entries.get(name.get());
                                if (t == null || t.code() != code.get()) {
                                    problems.add(pair.getValue(), path, "must name an entry with code " + code.get());
                                } else {
                                    magic.put(code.get().intValue(), name.get());
                                }
                            }
                        }
                    });
                }
            });
        }
        problems.throwIfAny(ScenarioException::new);
        return new Catalog(entries, about, magic);
    }

    /** Reads name → reply pairs into {@code entries} (and their {@code about} texts). */
    static void readEntries(Node node, String path, Problems problems, Map<String, ReplyTemplate> entries,
                            Map<String, String> about) {
        YamlMap.open(node, path, problems, Set.of()).ifPresent(map -> {
            for (Map.Entry<ScalarNode, Node> pair : map.pairs()) {
                String name = pair.getKey().getValue();
                String entryPath = YamlMap.join(path, name);
                if (!Catalog.NAME.matcher(name).matches()) {
                    problems.add(pair.getKey(), entryPath,
                            "catalogue names use lower-case letters, digits, '.', '_' and '-' (like gmail.no_such_user)");
                    continue;
                }
                Node value = pair.getValue();
                Optional<ReplyTemplate> reply;
                if (value instanceof ScalarNode) {
                    reply = ReplyReader.read(value, entryPath, problems, null);
                } else {
                    Optional<YamlMap> entry = YamlMap.open(value, entryPath, problems, ReplyReader.CATALOG_ENTRY_KEYS);
                    if (entry.isEmpty()) {
                        continue;
                    }
                    entry.get().string("about").ifPresent(a -> about.put(name, a));
                    reply = ReplyReader.fromMapping(entry.get());
                }
                reply.ifPresent(r -> entries.put(name, r.named(name)));
            }
        });
    }
}
