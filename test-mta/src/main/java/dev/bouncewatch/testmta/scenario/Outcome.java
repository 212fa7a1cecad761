package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.smtp.Reply;
import java.time.Duration;
import java.util.Objects;

/**
 * A scenario's decision for one stage of one session. Every outcome may carry a delay: the session
 * stops reading for that long before it answers, so pipelined replies keep their order and the
 * client feels real backpressure.
 */
public sealed interface Outcome {

    /** Id of the rule that decided, or null for the sink's default behaviour. */
    String ruleId();

    Duration delay();

    /** The default: the protocol's normal answer (250 at RCPT, 354 at DATA, 250 queued after the dot). */
    Outcome PROCEED = new Proceed(null, Duration.ZERO, false);

    /**
     * Carry on with the protocol's normal answer.
     *
     * @param discard at RCPT or DATA_END: answer as if accepted but do not capture the message
     */
    record Proceed(String ruleId, Duration delay, boolean discard) implements Outcome {
        public Proceed {
            delay = Objects.requireNonNullElse(delay, Duration.ZERO);
        }
    }

    /**
     * Answer with this reply instead of the normal one. A 2xx at RCPT accepts the recipient with
     * that text; a 4xx/5xx rejects the command and leaves the state as it was (RFC 5321 4.1.4).
     *
     * @param close close the connection after the reply (e.g. 421)
     */
    record Respond(String ruleId, Duration delay, Reply reply, boolean close) implements Outcome {
        public Respond {
            delay = Objects.requireNonNullElse(delay, Duration.ZERO);
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * End the connection without answering.
     *
     * @param afterDataBytes at stage DATA: answer 354, read this many message octets, then drop;
     *                       negative means drop at once
     */
    record Drop(String ruleId, Duration delay, DropMode mode, long afterDataBytes) implements Outcome {
        public Drop {
            delay = Objects.requireNonNullElse(delay, Duration.ZERO);
            Objects.requireNonNull(mode, "mode");
        }
    }

    enum DropMode {
        /** FIN after no reply. */
        CLOSE,
        /** TCP reset (SO_LINGER 0). */
        RST,
        /** Stop reading and never answer; the client's own timeout ends it. */
        HANG
    }
}
