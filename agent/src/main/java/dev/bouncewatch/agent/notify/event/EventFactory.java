package dev.bouncewatch.agent.notify.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.SmtpStage;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.RemoteText;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds the events for results and suppressions. Field names follow Amazon SES where SES has one
 * ({@code bounceType}, {@code bounceSubType}, {@code status}, {@code diagnosticCode},
 * {@code remoteMtaIp}, {@code reportingMta}), Mailgun's {@code smtpCode}, and the classifier's own
 * vocabulary for {@code severity}, {@code category}, {@code action}, {@code advice} and
 * {@code ruleId}. Absent values are left out rather than written as null.
 *
 * <p>Every string from a log line or a remote server is bounded ({@link #MAX_TEXT}, the diagnostic
 * {@link #MAX_DIAGNOSTIC}), so one event stays well under the 20 KB Standard Webhooks advise.
 */
public final class EventFactory {

    public static final int MAX_DIAGNOSTIC = 1000;
    public static final int MAX_TEXT = 320;
    private static final int MAX_SIGNALS = 20;

    private final String source;
    private final Clock clock;

    /** @param source this agent's host name, the envelope's {@code source.host} */
    public EventFactory(String source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String source() {
        return source;
    }

    /** The event type a result becomes: delivered, deferred, or bounced (expired counts as bounced). */
    public static EventType typeOf(DeliveryStatus status) {
        return switch (status) {
            case DELIVERED -> EventType.MESSAGE_DELIVERED;
            case DEFERRED -> EventType.MESSAGE_DEFERRED;
            case BOUNCED, EXPIRED -> EventType.MESSAGE_BOUNCED;
        };
    }

    /**
     * The message event for a stored result.
     *
     * @param suppression the entry this result put on the suppression list in the same batch, else null
     */
    public NotificationEvent fromResult(StoredResult stored, Suppression suppression) {
        DeliveryResult r = stored.result();
        Classification c = stored.classification();
        EventType type = typeOf(r.status());
        ObjectNode data = EventJson.newObject();
        data.put("resultId", stored.id());

        ObjectNode mail = data.putObject("mail");
        putText(mail, "queueId", r.queueId());
        putText(mail, "messageId", r.messageId());
        putText(mail, "source", r.sender());
        putText(mail, "sendingDomain", domainOf(r.sender()));
        mail.put("mta", r.mta().wireName());

        ObjectNode recipient = data.putObject("recipient");
        putText(recipient, "emailAddress", r.recipient());
        putText(recipient, "domain", r.recipientDomain().isEmpty() ? null : r.recipientDomain());
        putText(recipient, "provider", signalValue(c, "provider:"));
        putText(recipient, "originalEmailAddress", r.origRecipient());

        if (type == EventType.MESSAGE_DELIVERED) {
            ObjectNode delivery = data.putObject("delivery");
            putCommon(delivery, r);
            putText(delivery, "smtpResponse", RemoteText.bounded(r.diagnostic(), MAX_DIAGNOSTIC));
        } else {
            ObjectNode bounce = data.putObject("bounce");
            SesBounceType ses = SesBounceType.of(r.status(), c);
            bounce.put("bounceType", ses.type());
            bounce.put("bounceSubType", ses.subType());
            bounce.put("severity", c.severity().wireName());
            bounce.put("category", c.category());
            bounce.put("hardBounce", c.hardBounce());
            bounce.put("action", c.action().wireName());
            bounce.put("dsnAction", r.status() == DeliveryStatus.DEFERRED ? "delayed" : "failed");
            bounce.put("expired", r.status() == DeliveryStatus.EXPIRED);
            putCommon(bounce, r);
            putText(bounce, "diagnosticCode", RemoteText.bounded(r.diagnostic(), MAX_DIAGNOSTIC));
            putText(bounce, "blocklist", signalValue(c, "blocklist:"));
            bounce.put("ruleId", c.ruleId());
            bounce.put("advice", c.advice());
            ArrayNode signals = bounce.putArray("signals");
            c.signals().stream().limit(MAX_SIGNALS).forEach(s -> signals.add(RemoteText.bounded(s, MAX_TEXT)));
        }
        if (suppression != null) {
            ObjectNode s = data.putObject("suppression");
            s.put("added", true);
            s.put("list", "global");
            putText(s, "reason", RemoteText.bounded(suppression.reason(), MAX_TEXT));
        }
        Instant at = r.time() != null ? r.time() : stored.ingestedAt();
        return new NotificationEvent(EventIds.forResult(stored), type.wireName(), at, NotificationEvent.SCHEMA_VERSION,
                source, data, null);
    }

    /** {@code recipient.suppressed}: an address went on the suppression list. */
    public NotificationEvent fromSuppression(Suppression s) {
        ObjectNode data = EventJson.newObject();
        ObjectNode recipient = data.putObject("recipient");
        putText(recipient, "emailAddress", s.address());
        putText(recipient, "domain", domainOf(s.address()));
        ObjectNode entry = data.putObject("suppression");
        entry.put("added", true);
        entry.put("list", "global");
        entry.put("origin", s.origin());
        putText(entry, "reason", RemoteText.bounded(s.reason(), MAX_TEXT));
        putText(entry, "category", s.category());
        putText(entry, "status", s.dsn());
        if (s.replyCode() != null) {
            entry.put("smtpCode", s.replyCode());
        }
        putText(entry, "diagnosticCode", RemoteText.bounded(s.diagnostic(), MAX_DIAGNOSTIC));
        entry.put("failures", s.failures());
        if (s.resultId() != null) {
            entry.put("resultId", s.resultId());
        }
        entry.put("createdAt", EventJson.timestamp(s.createdAt()));
        return new NotificationEvent(EventIds.forSuppression(s), EventType.RECIPIENT_SUPPRESSED.wireName(), s.createdAt(),
                NotificationEvent.SCHEMA_VERSION, source, data, null);
    }

    /** {@code webhook.test}: a ping sent on request; a new id every time. */
    public NotificationEvent webhookTest(String destination) {
        ObjectNode data = EventJson.newObject();
        data.put("message", "Test event from bouncewatch on " + source + ". If you can read this, delivery works.");
        data.put("destination", destination);
        return new NotificationEvent(EventIds.random(), EventType.WEBHOOK_TEST.wireName(), clock.instant(),
                NotificationEvent.SCHEMA_VERSION, source, data, null);
    }

    private static void putCommon(ObjectNode o, DeliveryResult r) {
        putText(o, "status", r.dsn());
        if (r.replyCode() != null) {
            o.put("smtpCode", r.replyCode());
        }
        putText(o, "remoteMta", r.relay());
        putText(o, "remoteMtaIp", r.relayIp());
        putText(o, "reportingMta", r.host());
        putText(o, "mtaStatus", r.mtaStatus());
        if (r.stage() != SmtpStage.NONE) {
            o.put("stage", r.stage().wireName());
        }
        o.put("attempt", r.attempts());
        if (r.delaySeconds() != null) {
            o.put("delaySeconds", r.delaySeconds());
        }
    }

    private static void putText(ObjectNode o, String field, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(field, RemoteText.bounded(value, field.equals("diagnosticCode") || field.equals("smtpResponse")
                    ? MAX_DIAGNOSTIC : MAX_TEXT));
        }
    }

    /** The value of the first signal with this prefix ({@code provider:google} -> google), else null. */
    private static String signalValue(Classification c, String prefix) {
        for (String s : c.signals()) {
            if (s.startsWith(prefix) && s.length() > prefix.length()) {
                return s.substring(prefix.length());
            }
        }
        return null;
    }

    private static String domainOf(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        return at < 0 || at == address.length() - 1 ? null : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
