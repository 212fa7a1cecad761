package dev.bouncewatch.testmta.session;

import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.smtp.Reply;
import java.time.Duration;

/**
 * What the session wants the transport to do for one input: send a reply (or none), after a
 * delay, then take an action. The reply is final wire content (enhanced codes already decided).
 *
 * @param reply   the reply to send, or null (a drop, or a BDAT chunk still to be read)
 * @param delay   hold the reply this long without reading further input
 * @param action  what to do after the reply
 * @param octets  for {@link Action#READ_CHUNK}: the chunk size
 * @param event   the record of this reply for listeners, or null when there is nothing to report
 * @param capture an accepted message to write to the capture directory, or null
 */
public record Answer(Reply reply, Duration delay, Action action, long octets, TransactionEvent event,
                     CapturedMessage capture) {

    public enum Action {
        /** Read the next command. */
        CONTINUE,
        /** Read a DATA body (after a 354). */
        READ_DATA,
        /** Read exactly {@code octets} of a BDAT chunk, then call the session again. */
        READ_CHUNK,
        /** Reply, then switch to TLS (RFC 3207); earlier buffered plaintext is never executed. */
        START_TLS,
        /** Reply (if any), then close (FIN). */
        CLOSE,
        /** Close with a TCP reset, no reply. */
        RESET,
        /** Stop reading and never answer. */
        HANG
    }

    public boolean closes() {
        return action == Action.CLOSE || action == Action.RESET;
    }
}
