package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.scenario.ScenarioException.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Collects every mistake found while loading one scenario text, so a user fixes them all in one
 * round instead of one per run.
 */
final class Problems {

    /** More than this many problems means the file is probably not a scenario at all. */
    private static final int MAX = 200;

    private final String source;
    private final List<Problem> problems = new ArrayList<>();
    private boolean truncated;

    Problems(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    /** Records a problem at the start of {@code node} (line and column unknown when null). */
    void add(Node node, String key, String message) {
        Mark mark = node == null ? null : node.getStartMark().orElse(null);
        add(mark, key, message);
    }

    void add(Mark mark, String key, String message) {
        if (problems.size() >= MAX) {
            truncated = true;
            return;
        }
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        problems.add(new Problem(source, line, column, key, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    int count() {
        return problems.size();
    }

    /** Throws with the problems in file order (sections are read in a fixed order, not file order). */
    void throwIfAny() throws ScenarioException {
        if (!problems.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            if (truncated) {
                sorted.add(new Problem(source, 0, 0, "", "stopped after " + MAX + " problems; fix these first"));
            }
            throw new ScenarioException(sorted);
        }
    }
}
