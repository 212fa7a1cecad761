package dev.bouncewatch.agent.config;

import java.util.HashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Notification destination names seen while reading {@code notify:}. They key the outbox and the
 * CLI, so they must be unique across every kind (console, webhooks, Slack).
 */
public final class DestinationNames {

    private final ConfigContext context;
    private final Map<String, Integer> lineByName = new HashMap<>();

    public DestinationNames(ConfigContext context) {
        this.context = context;
    }

    /** Records the name; a second use is a problem that points at both lines. */
    public void claim(String name, Node node, String path) {
        int line = node.getStartMark().map(Mark::getLine).orElse(-1) + 1;
        Integer first = lineByName.putIfAbsent(name, line);
        if (first != null) {
            context.problems().add(node, path, "the destination name '" + name + "' is already used"
                    + (first > 0 ? " on line " + first : "") + "; names must be unique across console, webhooks and slack");
        }
    }

    /** Reserves a built-in name (the console destination). */
    public void reserve(String name) {
        lineByName.putIfAbsent(name, 0);
    }
}
