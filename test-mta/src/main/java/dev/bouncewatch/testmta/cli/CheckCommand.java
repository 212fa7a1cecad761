package dev.bouncewatch.testmta.cli;

import dev.bouncewatch.testmta.scenario.RuleScenario;
import dev.bouncewatch.testmta.scenario.ScenarioDescription;
import dev.bouncewatch.testmta.scenario.ScenarioException;
import dev.bouncewatch.testmta.scenario.ScenarioLoader;
import dev.bouncewatch.testmta.scenario.Scenarios;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code test-mta check FILE}: validates a scenario without starting the sink, for CI and editors.
 * Exit 0 with a one-line summary, or exit 1 with each problem on its own {@code file:line:col:} line.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a scenario file and print a summary or every problem found.")
public final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Scenario YAML file.")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            RuleScenario scenario = new ScenarioLoader().load(file);
            ScenarioDescription d = Scenarios.describe(scenario);
            int n = d.rules().size();
            out.println(file + ": OK, " + n + (n == 1 ? " rule" : " rules")
                    + (d.stagesUsed().isEmpty() ? "" : " at " + String.join(", ", d.stagesUsed()))
                    + ", magic addresses " + (d.protocol().magicAddresses() ? "on" : "off")
                    + ", seed " + d.seed());
            out.flush();
            return 0;
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println(p));
            err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems") + " in " + file);
            err.flush();
            return 1;
        }
    }
}
