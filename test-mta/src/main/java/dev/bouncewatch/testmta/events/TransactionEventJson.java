package dev.bouncewatch.testmta.events;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.bouncewatch.testmta.server.TransactionEvent;
import java.io.IOException;

/**
 * The one JSON shape of a {@link TransactionEvent}, shared by the event file and the HTTP API so a
 * script reads both the same way. Keys are snake_case and always present (null when unknown), so
 * every line has the same schema.
 */
public final class TransactionEventJson {

    private TransactionEventJson() {
    }

    public static void write(JsonGenerator g, TransactionEvent e) throws IOException {
        g.writeStartObject();
        g.writeStringField("time", e.time() == null ? null : e.time().toString());
        g.writeStringField("session", e.sessionId());
        g.writeStringField("client_ip", e.clientIp());
        g.writeStringField("helo", e.helo());
        g.writeStringField("stage", e.stage() == null ? null : e.stage().configName());
        g.writeStringField("sender", e.sender());
        g.writeStringField("recipient", e.recipient());
        g.writeArrayFieldStart("recipients");
        for (String r : e.recipients()) {
            g.writeString(r);
        }
        g.writeEndArray();
        g.writeNumberField("code", e.code());
        g.writeStringField("enhanced_code", e.enhancedCode());
        g.writeStringField("text", e.text());
        g.writeStringField("rule", e.ruleId());
        g.writeStringField("message_id", e.messageId());
        g.writeBooleanField("closed", e.closed());
        g.writeEndObject();
    }
}
