package dev.bouncewatch.testmta.scenario;

import java.time.Duration;
import java.util.List;

/**
 * What a rule does once its {@code when} holds. Most actions always decide; the gates
 * ({@link GreylistAction}, {@link RateLimitAction}) answer only while they hold the client back
 * and otherwise return null, so evaluation continues with the next rule (James' DECLINED).
 */
interface Action {

    /**
     * @param ruleId  the rule's id, carried in the outcome for events and metrics
     * @param delay   the rule's delay modifier
     * @param now     epoch millis from the scenario's time source
     * @return the outcome, or null when the action does not apply
     */
    Outcome decide(Evaluation ev, String ruleId, Duration delay, long now);

    String describe();

    /** Stores this action keeps between sessions; empty for stateless actions. */
    default List<ExpiringStore<?>> stores() {
        return List.of();
    }
}
