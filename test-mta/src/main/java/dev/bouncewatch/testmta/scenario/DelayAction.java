package dev.bouncewatch.testmta.scenario;

import java.time.Duration;

/**
 * A rule whose {@code then} is only a delay: it slows the answer down but does not decide it.
 * Evaluation goes on, so a later rule, a magic address or the normal answer still decides, late.
 */
record DelayAction() implements Action {

    @Override
    public Outcome decide(Evaluation ev, String ruleId, Duration delay, long now) {
        return new Outcome.Proceed(ruleId, delay, false);
    }

    @Override
    public String describe() {
        return "delay, then let the next rule decide";
    }
}
