package dev.bouncewatch.agent.notify.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.notify.NotificationEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The wire form of an event: one minified JSON object
 * {@code {"id","type","timestamp","schemaVersion","source":{"agent","version","host"},"data"}}.
 * It is written once, when the event is queued; the outbox keeps the exact text so every retry sends
 * (and signs) the same bytes.
 */
public final class EventJson {

    public static final String AGENT = "bouncewatch";

    /** RFC 3339 in UTC with milliseconds always present, so consumers need only one pattern. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    public static ObjectNode newObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static String timestamp(Instant t) {
        return TIMESTAMP.format(t);
    }

    /** The envelope as a tree (field order as documented). */
    public static ObjectNode tree(NotificationEvent event) {
        ObjectNode o = newObject();
        o.put("id", event.id());
        o.put("type", event.type());
        o.put("timestamp", timestamp(event.timestamp()));
        o.put("schemaVersion", event.schemaVersion());
        ObjectNode source = o.putObject("source");
        source.put("agent", AGENT);
        source.put("version", agentVersion());
        source.put("host", event.source());
        o.set("data", event.data());
        return o;
    }

    /** Minified JSON, UTF-8 when encoded; non-ASCII stays as is (JSON allows it, bodies stay small). */
    public static String write(NotificationEvent event) {
        try {
            return MAPPER.writeValueAsString(tree(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode always serialises", e);
        }
    }

    /**
     * Reads an event written by {@link #write} (the outbox payload of webhook destinations). The
     * group key is not part of the wire form and comes back null.
     *
     * @throws IllegalArgumentException when the text is not such an event
     */
    public static NotificationEvent read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(root instanceof ObjectNode o)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String id = text(o, "id");
        String type = text(o, "type");
        Instant timestamp;
        try {
            timestamp = Instant.parse(text(o, "timestamp"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp is not RFC 3339: " + e.getParsedString(), e);
        }
        JsonNode source = o.path("source");
        String host = source.isObject() ? source.path("host").asText("") : source.asText("");
        JsonNode data = o.get("data");
        if (!(data instanceof ObjectNode dataObject)) {
            throw new IllegalArgumentException("data is missing or not an object");
        }
        return new NotificationEvent(id, type, timestamp, o.path("schemaVersion").asInt(NotificationEvent.SCHEMA_VERSION),
                host, dataObject, null);
    }

    private static String text(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException(field + " is missing or not a string");
        }
        return n.asText();
    }

    /** The jar's version (from the manifest), "dev" when run from classes. */
    public static String agentVersion() {
        String v = EventJson.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
