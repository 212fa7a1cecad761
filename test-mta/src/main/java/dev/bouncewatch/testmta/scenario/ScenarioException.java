package dev.bouncewatch.testmta.scenario;

import java.util.List;
import java.util.stream.Collectors;

/** A scenario that cannot be loaded, with every problem found (not just the first). */
public final class ScenarioException extends Exception {

    /**
     * One mistake in a scenario file.
     *
     * @param source  file name or other origin ("request body")
     * @param line    1-based line, 0 when unknown
     * @param column  1-based column, 0 when unknown
     * @param key     the key path that is wrong, e.g. {@code rules[2].then.reply}
     * @param message what is wrong and what was expected
     */
    public record Problem(String source, int line, int column, String key, String message) {
        @Override
        public String toString() {
            return source + ":" + line + ":" + column + ": " + (key == null || key.isEmpty() ? "" : key + ": ")
                    + message;
        }
    }

    private final transient List<Problem> problems;

    public ScenarioException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
