package dev.bouncewatch.testmta.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * The {@code json} format, one object per line: {@code timestamp} (ISO-8601 UTC, milliseconds),
 * {@code level}, {@code logger}, {@code thread}, {@code message}, {@code exception} (the stack
 * trace as Java prints it) when there is one, then the MDC and the event's key-value pairs as
 * fields of their own (a key that would overwrite one of those names gets the prefix {@code kv.}).
 * Jackson escapes every control character, so a line stays a line. Logback's own JsonEncoder gives
 * epoch milliseconds, nested context objects and a sequence number: not what jq users want.
 */
final class JsonLine {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Set<String> STANDARD = Set.of("timestamp", "level", "logger", "thread", "message", "exception");

    private final JsonFactory json = new JsonFactory();
    private final boolean priorityPrefix;

    JsonLine(boolean priorityPrefix) {
        this.priorityPrefix = priorityPrefix;
    }

    String format(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        if (priorityPrefix) {
            out.append(SyslogPriority.prefix(event.getLevel()));
        }
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                g.writeStringField("exception", String.join("\n", ThrowableLines.of(event.getThrowableProxy())));
            }
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    g.writeStringField(fieldName(e.getKey()), e.getValue());
                }
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    g.writeFieldName(fieldName(kv.key));
                    writeValue(g, kv.value);
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringWriter does not fail
        }
        out.append('\n');
        return out.toString();
    }

    private static String fieldName(String key) {
        String k = key == null ? "null" : key;
        return STANDARD.contains(k) ? "kv." + k : k;
    }

    /** Numbers and booleans stay JSON numbers and booleans; anything else is its string form. */
    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(Double.toString(d));
            }
        } else {
            g.writeString(String.valueOf(value));
        }
    }
}
