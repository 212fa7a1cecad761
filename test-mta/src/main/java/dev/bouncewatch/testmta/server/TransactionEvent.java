package dev.bouncewatch.testmta.server;

import dev.bouncewatch.testmta.session.Stage;
import java.time.Instant;
import java.util.List;

/**
 * One reply the sink gave, as a structured record: what the JSON-lines event file, the HTTP API,
 * the metrics and an embedding agent see.
 *
 * @param sessionId    connection id
 * @param clientIp     the client's address, textual
 * @param helo         EHLO/HELO name, null before it
 * @param stage        the stage the reply answered
 * @param sender       reverse path ("" for the null sender), null before MAIL
 * @param recipient    at RCPT, the recipient answered; else null
 * @param recipients   at DATA/DATA_END, the accepted recipients the reply applies to; else empty
 * @param code         basic reply code
 * @param enhancedCode enhanced code as sent, or null
 * @param lines        reply text lines as sent (without code prefixes)
 * @param ruleId       id of the scenario rule that decided, null for default behaviour
 * @param messageId    at DATA_END, the Message-ID header if present
 * @param closed       the sink closed or dropped the connection after (or instead of) this reply
 */
public record TransactionEvent(
        Instant time,
        String sessionId,
        String clientIp,
        String helo,
        Stage stage,
        String sender,
        String recipient,
        List<String> recipients,
        int code,
        String enhancedCode,
        List<String> lines,
        String ruleId,
        String messageId,
        boolean closed) {

    public TransactionEvent {
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /** The text lines joined by a space. */
    public String text() {
        return String.join(" ", lines);
    }
}
