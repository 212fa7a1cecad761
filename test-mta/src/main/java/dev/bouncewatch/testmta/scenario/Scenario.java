package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.session.ProtocolOptions;
import dev.bouncewatch.testmta.session.TransactionContext;

/**
 * A loaded scenario: protocol options for new sessions plus the rules that decide replies.
 * Implementations are thread-safe; {@link #decide} is called on Netty event-loop threads and must
 * not block.
 */
public interface Scenario {

    ProtocolOptions protocol();

    /** The outcome for this stage; {@link Outcome#PROCEED} when no rule matched. */
    Outcome decide(TransactionContext context);

    /** Forget greylist triplets, rate buckets, sequence counters. */
    default void resetState() {
    }

    /** The sink with no scenario file: protocol defaults and every command accepted. */
    Scenario ACCEPT_ALL = new Scenario() {
        @Override
        public ProtocolOptions protocol() {
            return ProtocolOptions.defaults();
        }

        @Override
        public Outcome decide(TransactionContext context) {
            return Outcome.PROCEED;
        }
    };
}
