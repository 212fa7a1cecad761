package dev.bouncewatch.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.classify.Classification;

/** The classification fields as they appear in JSON output (classify, and parse's jsonl). */
public final class ClassificationJson {

    private ClassificationJson() {
    }

    /** Adds severity, category, hardBounce, action, signals, ruleId and advice to {@code o}. */
    public static ObjectNode addTo(ObjectNode o, Classification c) {
        o.put("severity", c.severity().wireName());
        o.put("category", c.category());
        o.put("hardBounce", c.hardBounce());
        o.put("action", c.action().wireName());
        ArrayNode signals = o.putArray("signals");
        c.signals().forEach(signals::add);
        o.put("ruleId", c.ruleId());
        o.put("advice", c.advice());
        return o;
    }
}
