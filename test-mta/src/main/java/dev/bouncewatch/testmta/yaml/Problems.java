package dev.bouncewatch.testmta.yaml;


import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Collects every mistake found while loading one scenario text, so a user fixes them all in one
 * round instead of one per run.
 */
public final class Problems {

    /** More than this many problems means the file is probably not a scenario at all. */
    private static final int MAX = 200;

    private final String source;
    private final List<YamlProblem> problems = new ArrayList<>();
    private boolean truncated;

    public Problems(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    /** Records a problem at the start of {@code node} (line and column unknown when null). */
    public void add(Node node, String key, String message) {
        Mark mark = node == null ? null : node.getStartMark().orElse(null);
        add(mark, key, message);
    }

    public void add(Mark mark, String key, String message) {
        if (problems.size() >= MAX) {
            truncated = true;
            return;
        }
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        problems.add(new YamlProblem(source, line, column, key, message));
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public int count() {
        return problems.size();
    }

    /** The problems in file order (sections are read in a fixed order, not file order). */
    public List<YamlProblem> sorted() {
        List<YamlProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(YamlProblem::line).thenComparingInt(YamlProblem::column));
        if (truncated) {
            sorted.add(new YamlProblem(source, 0, 0, "", "stopped after " + MAX + " problems; fix these first"));
        }
        return sorted;
    }

    /** Throws the exception made from {@link #sorted()} when there is any problem. */
    public <E extends Exception> void throwIfAny(Function<List<YamlProblem>, E> exception) throws E {
        if (!problems.isEmpty()) {
            throw exception.apply(sorted());
        }
    }
}
