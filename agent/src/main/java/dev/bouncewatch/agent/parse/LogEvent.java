package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;

import java.util.List;

/**
 * What one log line says, as read by an MTA line parser before correlation. The {@link Correlator}
 * turns these into delivery results: it adds the sender, message-id and attempt numbers it has seen
 * for the queue id, and expands a message expiry into one result per pending recipient.
 */
sealed interface LogEvent permits LogEvent.Deliveries, LogEvent.MessageInfo, LogEvent.Expiry,
        LogEvent.MessageDone, InboundReject, LogEvent.NoResult {

    /**
     * Delivery attempts for one or more recipients of one queue id (Sendmail logs several on one line).
     * The results carry no sender, message-id or attempts yet.
     *
     * @param attempted false when the MTA did not try at all (Exim "retry time not reached"): the line is
     *                  still news, but it does not count as an attempt
     */
    record Deliveries(List<DeliveryResult> results, boolean attempted) implements LogEvent {
    }

    /** What a line says about a queued message: any field may be null. */
    record MessageInfo(String queueId, String sender, Long size, String messageId) implements LogEvent {
    }

    /**
     * The MTA gave up on a message (wholeMessage: Postfix qmgr, Sendmail) or on one recipient (Exim,
     * OpenSMTPD). The template is an EXPIRED result with what the line itself says; pending recipients
     * get their last reply from the correlator.
     */
    record Expiry(DeliveryResult template, boolean wholeMessage) implements LogEvent {
    }

    /** The MTA is done with the queue id (Postfix {@code removed}, Exim {@code Completed}). */
    record MessageDone(String queueId) implements LogEvent {
    }

    /** Lines that yield nothing. */
    enum NoResult implements LogEvent {
        /** Understood and not a result: connection notes, TLS, warnings, notifications... */
        CONTEXT,
        /** From the right program but a shape this parser does not know. */
        UNRECOGNISED,
        /** A delivery line cut before its status. */
        TRUNCATED
    }
}
