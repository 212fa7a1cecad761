package dev.bouncewatch.testmta.scenario;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A weighted choice among actions, like KumoMTA's Smart Sink mixing accepts, defers and bounces
 * for a domain. The draw is seeded (see {@link Dice}).
 */
record PickAction(List<Choice> choices, long seed) implements Action {

    record Choice(int weight, Action action) {
    }

    PickAction {
        choices = List.copyOf(choices);
    }

    private int total() {
        int t = 0;
        for (Choice c : choices) {
            t += c.weight();
        }
        return t;
    }

    @Override
    public Outcome decide(Evaluation ev, String ruleId, Duration delay, long now) {
        double target = Dice.roll(seed, ruleId, "pick", ev.context()) * total();
        double acc = 0;
        for (Choice c : choices) {
            acc += c.weight();
            if (target < acc) {
                return c.action().decide(ev, ruleId, delay, now);
            }
        }
        return choices.get(choices.size() - 1).action().decide(ev, ruleId, delay, now);
    }

    @Override
    public String describe() {
        int total = total();
        return "pick one of: " + choices.stream()
                .map(c -> c.weight() + "/" + total + " " + c.action().describe())
                .collect(Collectors.joining("; "));
    }
}
