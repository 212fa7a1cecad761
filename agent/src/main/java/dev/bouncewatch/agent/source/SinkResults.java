package dev.bouncewatch.agent.source;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.session.Stage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a reply of the embedded sink into the delivery results the sending MTA would log for it. The
 * sink is the remote server here, so {@code relay} is the sink's own name (its greeting hostname) and
 * {@code relayIp} its listen address, and {@code host}, the mail server that delivered, is the client's
 * EHLO name (its IP before EHLO). {@code queueId} is the sink's session id; {@code diagnostic} is the
 * reply as it went on the wire, {@code 550 5.1.1 text}, the shape every MTA log gives the parser.
 *
 * <ul>
 *   <li>RCPT: 4xx deferred, 5xx bounced for that recipient; 2xx is no result yet (DATA decides).</li>
 *   <li>DATA and end of DATA: 2xx delivered (end of DATA only; 354 just continues), 4xx deferred,
 *       5xx bounced, for every recipient accepted in the transaction; a connection dropped without
 *       a reply is deferred, as an MTA retries it.</li>
 *   <li>Greeting, EHLO, STARTTLS, AUTH and MAIL refusals, and drops before DATA: the sink does not
 *       know the recipients the client meant to send (it never saw them), so there is nobody to
 *       attribute a result to. They are counted by the caller as unattributed, not invented.</li>
 * </ul>
 */
final class SinkResults {

    private final String relay;
    private final String relayIp;

    /**
     * @param relay   the sink's name as clients see it (the scenario's greeting hostname)
     * @param relayIp the sink's listen address, null for a wildcard address
     */
    SinkResults(String relay, String relayIp) {
        this.relay = relay;
        this.relayIp = relayIp;
    }

    /** The results this reply decides; empty when it decides none. */
    List<DeliveryResult> of(TransactionEvent event) {
        int code = event.code();
        switch (event.stage()) {
            case RCPT:
                if (event.recipient() == null || code < 400) {
                    return List.of();
                }
                return List.of(result(event, event.recipient(), statusOf(code)));
            case DATA:
            case DATA_END:
                if (code >= 300 && code < 400 || code >= 200 && code < 300 && event.stage() == Stage.DATA) {
                    return List.of(); // 354, or a 2xx at DATA that no client should get: no verdict yet
                }
                List<DeliveryResult> out = new ArrayList<>(event.recipients().size());
                DeliveryStatus status = statusOf(code);
                for (String recipient : event.recipients()) {
                    out.add(result(event, recipient, status));
                }
                return out;
            default:
                return List.of();
        }
    }

    /** A refusal or drop that decides a delivery but names no recipient (see the class comment). */
    static boolean isUnattributedRefusal(TransactionEvent event) {
        boolean refusal = event.code() >= 400 || event.code() == 0;
        return refusal && switch (event.stage()) {
            case CONNECT, HELO, STARTTLS, AUTH, MAIL -> true;
            case RCPT -> event.recipient() == null;
            case DATA, DATA_END -> event.recipients().isEmpty();
            default -> false;
        };
    }

    private DeliveryResult result(TransactionEvent event, String recipient, DeliveryStatus status) {
        boolean dropped = event.code() == 0;
        String host = event.helo() != null ? event.helo() : event.clientIp();
        return new DeliveryResult(event.time(), host, Mta.SINK, event.sessionId(), event.messageId(), event.sender(),
                recipient, null, relay, relayIp, status, dropped ? "dropped" : status.wireName(),
                event.enhancedCode(), dropped ? null : event.code(), diagnostic(event), stageOf(event.stage()), null, 1);
    }

    /** 0 is a connection dropped without a reply: the client retries, like after a 4xx. */
    private static DeliveryStatus statusOf(int code) {
        if (code >= 500) {
            return DeliveryStatus.BOUNCED;
        }
        if (code >= 400 || code == 0) {
            return DeliveryStatus.DEFERRED;
        }
        return DeliveryStatus.DELIVERED;
    }

    private static String diagnostic(TransactionEvent event) {
        if (event.code() == 0) {
            return "connection dropped by the sink without a reply"
                    + (event.ruleId() == null ? "" : " (rule " + event.ruleId() + ")");
        }
        StringBuilder sb = new StringBuilder().append(event.code());
        if (event.enhancedCode() != null) {
            sb.append(' ').append(event.enhancedCode());
        }
        String text = event.text();
        if (!text.isEmpty()) {
            sb.append(' ').append(text);
        }
        return sb.toString();
    }

    static SmtpStage stageOf(Stage stage) {
        return switch (stage) {
            case CONNECT -> SmtpStage.CONNECT;
            case HELO -> SmtpStage.HELO;
            case STARTTLS -> SmtpStage.STARTTLS;
            case AUTH -> SmtpStage.AUTH;
            case MAIL -> SmtpStage.MAIL;
            case RCPT -> SmtpStage.RCPT;
            case DATA -> SmtpStage.DATA;
            case DATA_END -> SmtpStage.DATA_END;
            default -> SmtpStage.NONE;
        };
    }
}
