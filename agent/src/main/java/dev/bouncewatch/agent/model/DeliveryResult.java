package dev.bouncewatch.agent.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One delivery attempt for one recipient, as read from an MTA log (or given by the embedded sink).
 * Fields the line does not carry are null.
 *
 * @param time          when the MTA logged it
 * @param host          the host field of the log line (the mail server's name)
 * @param mta           which MTA wrote it
 * @param queueId       the MTA's queue / message id (Postfix queue id, Exim message id, Sendmail qid, OpenSMTPD evpid)
 * @param messageId     the Message-ID header, from correlation
 * @param sender        envelope sender, from correlation ("" for the null sender)
 * @param recipient     final recipient address
 * @param origRecipient the address before rewriting (Postfix {@code orig_to=})
 * @param relay         remote host name (or the transport's next hop) as logged
 * @param relayIp       remote host IP address
 * @param status        delivered, deferred, bounced, expired
 * @param mtaStatus     the MTA's own word ({@code sent}, {@code SOFTBOUNCE}, {@code PermFail} ...)
 * @param dsn           enhanced status code ({@code 5.1.1}); may be invented by the MTA
 * @param replyCode     the remote server's three-digit reply code, null if none was received
 * @param diagnostic    the remote text or the MTA's explanation, untruncated, multi-line replies unfolded
 * @param stage         the SMTP step the reply answered
 * @param delaySeconds  total delay since the message arrived, null if not logged
 * @param attempts      how many delivery attempts for this recipient this result is (1 = first)
 */
public record DeliveryResult(
        Instant time,
        String host,
        Mta mta,
        String queueId,
        String messageId,
        String sender,
        String recipient,
        String origRecipient,
        String relay,
        String relayIp,
        DeliveryStatus status,
        String mtaStatus,
        String dsn,
        Integer replyCode,
        String diagnostic,
        SmtpStage stage,
        Double delaySeconds,
        int attempts) {

    public DeliveryResult {
        Objects.requireNonNull(mta, "mta");
        Objects.requireNonNull(status, "status");
        stage = Objects.requireNonNullElse(stage, SmtpStage.NONE);
    }

    /** The domain part of the recipient, lower case, or "" when there is none. */
    public String recipientDomain() {
        if (recipient == null) {
            return "";
        }
        int at = recipient.lastIndexOf('@');
        return at < 0 ? "" : recipient.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
