package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.session.Stage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * One entry of a scenario's {@code rules:} list: at these stages, when every condition holds, the
 * action decides (unless it is a gate that lets the command through).
 *
 * @param description the rule's optional free text, or null
 * @param line 1-based line in the scenario file, for descriptions
 */
record Rule(String id, String description, Set<Stage> stages, List<Condition> conditions, Action action,
            Duration delay, int line, LongAdder hits) {

    Rule {
        stages = Set.copyOf(stages);
        conditions = List.copyOf(conditions);
    }

    /** The outcome, or null when the rule does not apply to this evaluation. */
    Outcome decide(Evaluation ev, long now) {
        if (!stages.contains(ev.context().stage())) {
            return null;
        }
        ev.startRule();
        for (Condition c : conditions) {
            if (!c.test(ev)) {
                return null;
            }
        }
        Outcome outcome = action.decide(ev, id, delay, now);
        if (outcome != null) {
            hits.increment();
        }
        return outcome;
    }
}
