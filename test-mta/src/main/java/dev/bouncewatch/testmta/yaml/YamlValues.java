package dev.bouncewatch.testmta.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads scalar values out of composed YAML nodes. Values are taken from the scalar's text, not
 * from YAML's implicit typing, so {@code 0750} or {@code yes} never turn into surprises: every
 * field says what it expects.
 */
public final class YamlValues {

    /** A scalar's text together with its node, so later checks can still point at the line. */
    public record Located(String value, Node node) {
    }

    private YamlValues() {
    }

    public static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    public static String describe(Node node) {
        if (node == null || isNull(node)) {
            return "nothing (an empty value)";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    public static Optional<String> string(Node node, String path, Problems problems) {
        if (node instanceof ScalarNode s && !isNull(node)) {
            return Optional.of(s.getValue());
        }
        problems.add(node, path, "expected a text value but found " + describe(node));
        return Optional.empty();
    }

    public static Optional<Boolean> bool(Node node, String path, Problems problems) {
        if (node instanceof ScalarNode s && !isNull(node)) {
            String v = s.getValue();
            if (v.equals("true")) {
                return Optional.of(true);
            }
            if (v.equals("false")) {
                return Optional.of(false);
            }
        }
        problems.add(node, path, "expected true or false but found " + describe(node));
        return Optional.empty();
    }

    public static Optional<Long> integer(Node node, String path, Problems problems, long min, long max) {
        if (node instanceof ScalarNode s && !isNull(node)) {
            try {
                long v = Long.parseLong(s.getValue().replace("_", ""));
                if (v >= min && v <= max) {
                    return Optional.of(v);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(node, path, "expected a whole number from " + min + " to " + max + " but found " + describe(node));
        return Optional.empty();
    }

    public static Optional<List<Located>> stringList(Node node, String path, Problems problems) {
        List<Located> out = new ArrayList<>();
        if (node instanceof SequenceNode seq) {
            if (seq.getValue().isEmpty()) {
                problems.add(node, path, "expected at least one value but the list is empty");
                return Optional.empty();
            }
            int i = 0;
            boolean ok = true;
            for (Node item : seq.getValue()) {
                Optional<String> v = string(item, path + "[" + i++ + "]", problems);
                if (v.isPresent()) {
                    out.add(new Located(v.get(), item));
                } else {
                    ok = false;
                }
            }
            return ok ? Optional.of(out) : Optional.empty();
        }
        return string(node, path, problems).map(v -> List.of(new Located(v, node)));
    }
}
