package dev.bouncewatch.testmta.scenario;

import java.time.Duration;

/**
 * Give the protocol's normal answer (optionally after the rule's delay). With {@code discard}, the
 * recipient or message is acknowledged but not captured: Mailpit's "accept rejected recipients and
 * drop them" behaviour, for apps that expect a relay to take everything.
 */
record ProceedAction(boolean discard) implements Action {

    @Override
    public Outcome decide(Evaluation ev, String ruleId, Duration delay, long now) {
        return new Outcome.Proceed(ruleId, delay, discard);
    }

    @Override
    public String describe() {
        return discard ? "accept and discard" : "accept";
    }
}
