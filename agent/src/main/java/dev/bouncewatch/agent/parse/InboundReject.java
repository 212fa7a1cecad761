package dev.bouncewatch.agent.parse;

import java.time.Instant;

import dev.bouncewatch.agent.model.Mta;

/**
 * A message this server refused while receiving it (Postfix smtpd/postscreen/cleanup
 * {@code NOQUEUE: reject: RCPT from ...}). Kept apart from delivery results: it is about inbound mail
 * and says nothing about how our outbound mail fares.
 *
 * @param queueId  the queue id, null for NOQUEUE
 * @param action   {@code reject}, {@code milter-reject}, {@code reject_warning}, {@code proxy-reject} ...
 * @param command  the SMTP step refused: {@code RCPT}, {@code EHLO}, {@code DATA}, {@code END-OF-MESSAGE}, {@code CONNECT}
 * @param client   the client as logged ({@code name[ip]} or {@code [ip]:port}), null when not logged
 * @param clientIp the client's IP address, null when not logged
 */
public record InboundReject(
        Instant time,
        String host,
        Mta mta,
        String queueId,
        String action,
        String command,
        String client,
        String clientIp,
        Integer replyCode,
        String dsn,
        String diagnostic,
        String sender,
        String recipient,
        String helo) implements LogEvent {
}
