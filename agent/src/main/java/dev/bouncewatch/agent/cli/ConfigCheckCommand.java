package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.classify.Classifier;
import dev.bouncewatch.agent.classify.RuleFileException;
import dev.bouncewatch.agent.config.AgentConfig;
import dev.bouncewatch.agent.config.ConfigException;
import dev.bouncewatch.agent.config.ConfigLoader;
import dev.bouncewatch.agent.config.LoadedConfig;
import dev.bouncewatch.agent.config.SourceConfig;
import dev.bouncewatch.agent.source.ReadAccess;
import dev.bouncewatch.agent.source.SourceDetector;
import dev.bouncewatch.agent.source.UnixAccount;
import dev.bouncewatch.agent.source.UnixNames;
import dev.bouncewatch.testmta.scenario.ScenarioException;
import dev.bouncewatch.testmta.scenario.ScenarioLoader;
import dev.bouncewatch.testmta.yaml.YamlProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bouncewatch config check [FILE]}: everything the agent would check at start, plus the
 * files the config points to (extra classifier rules, sink scenarios), without starting anything.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Checks an agent config file the way the agent would at start, and also reads the rule files",
            "and sink scenarios it names, and whether the agent's user can read the logs and journal the",
            "sources name. Prints the effective config in one line when it is valid,",
            "else every problem as file:line:column: key: message."},
        footer = {"", "Exit status: 0 valid (warnings may be printed), 2 problems found."})
public final class ConfigCheckCommand implements Callable<Integer> {

    static final String SERVICE_USER = "bouncewatch";

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The config file. Default: /etc/bouncewatch/agent.yml.")
    Path file = ConfigLoader.PACKAGED_PATH;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--user", paramLabel = "NAME",
            description = {"Check that this user can read the sources' logs and journal.",
                "Default: the user running the check; as root, bouncewatch when that user exists."})
    String user;

    /** The detector behind {@code type: auto}; a field so tests can point it at a fake host. */
    SourceDetector detector = SourceDetector.forThisHost();

    /** Where users and groups are looked up; a field so tests can use their own /etc. */
    UnixNames names = UnixNames.system();

    /** Where {@code {env: NAME}} secrets come from; a field so tests need not change the real environment. */
    Function<String, String> environment = System::getenv;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig loaded;
        try {
            loaded = new ConfigLoader(environment).load(file);
        } catch (ConfigException e) {
            printProblems(err, e.problems());
            return 2;
        }
        for (YamlProblem warning : loaded.warnings()) {
            err.println("warning: " + warning);
        }
        List<String> problems = referencedFiles(loaded.config());
        if (!problems.isEmpty()) {
            err.println(file + ": " + count(problems.size()) + " in files it names:");
            problems.forEach(p -> err.println("  " + p));
            err.flush();
            return 2;
        }
        err.flush();
        out.println(file + " is valid: " + loaded.config().summary());
        out.flush();
        return sourceAccess(loaded.config(), out, err) ? 0 : 2;
    }

    /** Prints whether the agent's user can read each source; false when one cannot be read. */
    private boolean sourceAccess(AgentConfig config, PrintWriter out, PrintWriter err) {
        Optional<UnixAccount> who = agentAccount(err);
        if (who.isEmpty()) {
            return user == null;
        }
        List<SourceAccessCheck.Finding> findings =
                new SourceAccessCheck(detector, new ReadAccess(names)).check(config.sources(), who.get());
        out.println("sources, as user " + who.get().name() + ":");
        boolean readable = true;
        for (SourceAccessCheck.Finding finding : findings) {
            (finding.problem() ? err : out).println((finding.problem() ? "  problem: " : "  ") + finding.text());
            readable &= !finding.problem();
        }
        out.flush();
        err.flush();
        return readable;
    }

    private Optional<UnixAccount> agentAccount(PrintWriter err) {
        if (user != null) {
            Optional<UnixAccount> named = UnixAccount.named(user, names);
            if (named.isEmpty()) {
                err.println("--user " + user + ": no such user in /etc/passwd");
            }
            return named;
        }
        Optional<UnixAccount> current = UnixAccount.current(Path.of("/proc/self/status"), names);
        if (current.isPresent() && current.get().isRoot()) {
            // root reads everything; the packaged agent runs as bouncewatch
            return UnixAccount.named(SERVICE_USER, names).or(() -> current);
        }
        return current;
    }

    private void printProblems(PrintWriter err, List<YamlProblem> problems) {
        err.println(file + ": " + count(problems.size()) + ":");
        problems.forEach(p -> err.println("  " + p));
        err.flush();
    }

    /** Loads what the agent would load from other files at start: rule files and sink scenarios. */
    private static List<String> referencedFiles(AgentConfig config) {
        List<String> problems = new ArrayList<>();
        if (!config.ruleFiles().isEmpty()) {
            try {
                Classifier.load(config.ruleFiles());
            } catch (RuleFileException e) {
                problems.add(e.getMessage());
            }
        }
        for (SourceConfig source : config.sources()) {
            if (source instanceof SourceConfig.Sink sink && sink.scenario() != null) {
                try {
                    new ScenarioLoader().load(sink.scenario());
                } catch (ScenarioException e) {
                    e.problems().forEach(p -> problems.add(p.toString()));
                }
            }
        }
        return problems;
    }

    private static String count(int n) {
        return n == 1 ? "1 problem" : n + " problems";
    }
}
