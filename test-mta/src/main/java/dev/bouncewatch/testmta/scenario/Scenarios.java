package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.session.ProtocolOptions;
import dev.bouncewatch.testmta.session.Stage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** The scenario used when no file is given, and read-only descriptions for the HTTP API. */
public final class Scenarios {

    private Scenarios() {
    }

    /** Protocol defaults, magic addresses on, the built-in catalogue, no rules. */
    public static RuleScenario defaults() {
        return new RuleScenario(ProtocolOptions.defaults(), 0, List.of(), new MagicAddresses(Catalog.builtIn()),
                InstantSource.system(), "built-in defaults");
    }

    /** What a scenario does, rule by rule, with hit counters; safe to serialise (no passwords). */
    public static ScenarioDescription describe(Scenario scenario) {
        ScenarioDescription.Protocol protocol = ScenarioDescription.Protocol.of(scenario.protocol());
        if (!(scenario instanceof RuleScenario rs)) {
            return new ScenarioDescription(scenario.getClass().getSimpleName(), 0, protocol, List.of(), List.of(), 0, 0);
        }
        List<ScenarioDescription.RuleDescription> rules = new ArrayList<>();
        List<String> stagesUsed = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            if (rs.rules().stream().anyMatch(r -> r.stages().contains(stage))) {
                stagesUsed.add(stage.configName());
            }
        }
        for (Rule r : rs.rules()) {
            List<String> stages = new ArrayList<>();
            for (Stage s : Stage.values()) {
                if (r.stages().contains(s)) {
                    stages.add(s.configName());
                }
            }
            List<String> when = r.conditions().stream().map(Condition::describe).toList();
            String then = r.action().describe() + (r.delay().isZero() ? "" : ", after " + Quantities.format(r.delay()));
            rules.add(new ScenarioDescription.RuleDescription(r.id(), r.description(), r.line(), stages, when, then,
                    r.hits().sum()));
        }
        return new ScenarioDescription(rs.source(), rs.seed(), protocol, stagesUsed, rules, rs.magicHits(), rs.stateEntries());
    }
}
