package dev.bouncewatch.agent.config;

import dev.bouncewatch.testmta.yaml.YamlProblem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A config that cannot be used, with every problem found (not just the first), each as
 * {@code file:line:column: key: message}. Messages never contain a secret's value.
 */
public final class ConfigException extends Exception {

    private final transient List<YamlProblem> problems;

    public ConfigException(List<YamlProblem> problems) {
        super(problems.stream().map(YamlProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** One problem about the whole file (unreadable, too large, not UTF-8). */
    static ConfigException single(String source, String message) {
        return new ConfigException(List.of(new YamlProblem(source, 0, 0, "", message)));
    }

    public List<YamlProblem> problems() {
        return problems;
    }
}
