package dev.bouncewatch.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.classify.Classification;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * The same fields, in the same order, as the extra columns of a {@link dev.bouncewatch.agent.parse.ResultWriter}
     * row: strings, a Boolean and the list of signals.
     */
    public static Map<String, Object> fields(Classification c) {
        Map<String, Object> m = new LinkedHashMap<>(16);
        m.put("severity", c.severity().wireName());
        m.put("category", c.category());
        m.put("hardBounce", c.hardBounce());
        m.put("action", c.action().wireName());
        m.put("signals", c.signals());
        m.put("ruleId", c.ruleId());
        m.put("advice", c.advice());
        return Collections.unmodifiableMap(m);
    }
}
