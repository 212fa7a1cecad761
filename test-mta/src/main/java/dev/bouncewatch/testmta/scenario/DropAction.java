package dev.bouncewatch.testmta.scenario;

import java.time.Duration;
import java.util.Locale;

/**
 * End the connection without a reply: FIN, RST or hang. At stage DATA, {@code afterBytes >= 0}
 * answers 354 first and drops after that many message octets (a network failure mid-transfer).
 */
record DropAction(Outcome.DropMode mode, long afterBytes) implements Action {

    @Override
    public Outcome decide(Evaluation ev, String ruleId, Duration delay, long now) {
        return new Outcome.Drop(ruleId, delay, mode, afterBytes);
    }

    @Override
    public String describe() {
        return "drop (" + mode.name().toLowerCase(Locale.ROOT) + ")" + (afterBytes >= 0 ? " after " + afterBytes + " bytes" : "");
    }
}
