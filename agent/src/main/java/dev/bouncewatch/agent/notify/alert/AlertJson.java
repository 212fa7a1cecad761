package dev.bouncewatch.agent.notify.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * An alert as JSON, shaped like one entry of Alertmanager's webhook {@code alerts[]} (labels, a
 * fingerprint) plus what bouncewatch adds: summary, facts, metrics, action, advice, top replies and
 * top domains. Stored as the group's details and sent inside {@code alert.*} and
 * {@code agent.health} events; the Slack renderer reads these names.
 */
final class AlertJson {

    /** Reply samples are cut here, like SES's diagnosticCode. */
    static final int MAX_SAMPLE_CHARS = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertJson() {
    }

    static String details(Alert a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("rule", a.rule());
        o.put("title", a.title());
        o.put("severity", a.severity().wireName());
        o.putObject("scope").put("key", a.scope().key()).put("value", a.scope().value());
        ObjectNode labels = o.putObject("labels").put("rule", a.rule());
        if (!a.scope().equals(Scope.ALL)) {
            labels.put(a.scope().key(), a.scope().value());
        }
        o.put("summary", a.summary());
        ArrayNode facts = o.putArray("facts");
        for (Alert.Fact f : a.facts()) {
            facts.addObject().put("label", f.label()).put("value", f.value());
        }
        o.set("metrics", JSON.valueToTree(a.metrics()));
        o.put("action", a.action());
        o.put("advice", a.advice());
        ArrayNode reasons = o.putArray("topReasons");
        for (Alert.Reason r : a.topReasons()) {
            ObjectNode n = reasons.addObject().put("category", r.category()).put("status", r.dsn());
            if (r.replyCode() != null) {
                n.put("smtpCode", r.replyCode());
            }
            n.put("action", r.action()).put("count", r.count()).put("sample", cut(r.sample()));
        }
        o.put("moreReasons", a.moreReasons());
        ArrayNode domains = o.putArray("topDomains");
        for (Alert.DomainCount d : a.topDomains()) {
            domains.addObject().put("domain", d.domain()).put("count", d.count());
        }
        o.put("moreDomains", a.moreDomains());
        if (!a.explains().isEmpty()) {
            ArrayNode explains = o.putArray("explains");
            a.explains().stream().sorted().forEach(explains::add);
        }
        return write(o);
    }

    static ObjectNode parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return n instanceof ObjectNode o ? o : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode(); // a damaged row still yields a (thin) resolved message
        }
    }

    static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static JsonNode tree(Map<String, Object> map) {
        return JSON.valueToTree(map);
    }

    private static String cut(String s) {
        if (s == null || s.length() <= MAX_SAMPLE_CHARS) {
            return s;
        }
        return s.substring(0, MAX_SAMPLE_CHARS - 1) + "…";
    }
}
