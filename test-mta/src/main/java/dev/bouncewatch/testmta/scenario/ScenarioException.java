package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.yaml.YamlProblem;
import java.util.List;
import java.util.stream.Collectors;

/** A scenario that cannot be loaded, with every problem found (not just the first). */
public final class ScenarioException extends Exception {

    private final transient List<YamlProblem> problems;

    public ScenarioException(List<YamlProblem> problems) {
        super(problems.stream().map(YamlProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<YamlProblem> problems() {
        return problems;
    }
}
