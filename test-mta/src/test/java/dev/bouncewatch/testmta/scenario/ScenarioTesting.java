package dev.bouncewatch.testmta.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.smtp.Reply;

/** Shared helpers for scenario tests. */
final class ScenarioTesting {

    private ScenarioTesting() {
    }

    static RuleScenario load(String yaml) {
        return load(yaml, new ManualClock());
    }

    static RuleScenario load(String yaml, ManualClock clock) {
        try {
            return new ScenarioLoader(clock).load(yaml, "test.yml");
        } catch (ScenarioException e) {
            throw new AssertionError("scenario should load but:\n" + e.getMessage(), e);
        }
    }

    static ScenarioException problemsOf(String yaml) {
        try {
            new ScenarioLoader(new ManualClock()).load(yaml, "test.yml");
        } catch (ScenarioException e) {
            return e;
        }
        throw new AssertionError("scenario should not load:\n" + yaml);
    }

    static Reply replyOf(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Respond.class);
        return ((Outcome.Respond) outcome).reply();
    }
}
