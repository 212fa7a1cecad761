package dev.bouncewatch.testmta.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * One YAML mapping of a scenario file, read with its key path so that every problem can name the
 * line and the key. Unknown and duplicate keys are reported when the map is opened, which is what
 * catches typos like {@code rpct:}.
 */
public final class YamlMap {

    private final Node node;
    private final String path;
    private final Problems problems;
    private final Map<String, NodeTuple> entries;

    private YamlMap(Node node, String path, Problems problems, Map<String, NodeTuple> entries) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.entries = entries;
    }

    /**
     * Opens {@code node} as a mapping whose keys must be among {@code allowedKeys} (all keys are
     * allowed when it is empty); empty when it is not a mapping (a problem is recorded).
     */
    public static Optional<YamlMap> open(Node node, String path, Problems problems, Set<String> allowedKeys) {
        if (!(node instanceof MappingNode mapping)) {
            problems.add(node, path, "expected a mapping (key: value lines) but found " + YamlValues.describe(node));
            return Optional.empty();
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                problems.add(tuple.getKeyNode(), path, "keys must be plain words, found " + YamlValues.describe(tuple.getKeyNode()));
                continue;
            }
            String key = keyNode.getValue();
            String keyPath = join(path, key);
            if (entries.containsKey(key)) {
                problems.add(keyNode, keyPath, "duplicate key; each key may appear once in a mapping");
                continue;
            }
            if (!allowedKeys.isEmpty() && !allowedKeys.contains(key)) {
                problems.add(keyNode, keyPath, "unknown key '" + key + "'" + DidYouMean.suggestion(key, allowedKeys) + "; expected one of: "
                        + String.join(", ", allowedKeys));
                continue;
            }
            entries.put(key, tuple);
        }
        return Optional.of(new YamlMap(node, path, problems, entries));
    }

    public static String join(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    public Node node() {
        return node;
    }

    public String path() {
        return path;
    }

    public String path(String key) {
        return join(path, key);
    }

    public Problems problems() {
        return problems;
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value node, or null when the key is absent. */
    public Node value(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    /** The key node (for "this key is wrong here" problems), or the map node when absent. */
    public Node keyNode(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? node : tuple.getKeyNode();
    }

    /** Key/value pairs in file order, for maps whose keys are data (catalogue names, headers, users). */
    public List<Map.Entry<ScalarNode, Node>> pairs() {
        List<Map.Entry<ScalarNode, Node>> out = new ArrayList<>();
        for (NodeTuple t : entries.values()) {
            out.add(Map.entry((ScalarNode) t.getKeyNode(), t.getValueNode()));
        }
        return out;
    }

    /** Records a problem about a required key that is missing. */
    public void missing(String key, String expected) {
        problems.add(node, path(key), "missing; expected " + expected);
    }

    public Optional<String> string(String key) {
        return has(key) ? YamlValues.string(value(key), path(key), problems) : Optional.empty();
    }

    public Optional<Boolean> bool(String key) {
        return has(key) ? YamlValues.bool(value(key), path(key), problems) : Optional.empty();
    }

    public Optional<Long> integer(String key, long min, long max) {
        return has(key) ? YamlValues.integer(value(key), path(key), problems, min, max) : Optional.empty();
    }

    /** A scalar or a list of scalars; a single value becomes a one-element list. */
    public Optional<List<YamlValues.Located>> stringList(String key) {
        return has(key) ? YamlValues.stringList(value(key), path(key), problems) : Optional.empty();
    }
}
