package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.classify.Classifier;
import dev.bouncewatch.agent.classify.ClassifierInput;
import dev.bouncewatch.agent.classify.RuleFileException;
import dev.bouncewatch.agent.parse.BackgroundResultWriter;
import dev.bouncewatch.agent.parse.Correlator;
import dev.bouncewatch.agent.parse.LogParser;
import dev.bouncewatch.agent.parse.OutputFormat;
import dev.bouncewatch.agent.parse.ParserSettings;
import dev.bouncewatch.agent.parse.ResultWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bouncewatch parse}: MTA log files in, one classified delivery result per line out. */
@Command(name = "parse", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Reads Postfix, Exim, Sendmail and OpenSMTPD logs and writes one delivery result per line,",
            "with what the reply means (severity, category, hardBounce, action, signals, ruleId, advice).",
            "Lines that are not delivery results are counted; the counts go to stderr."},
        footer = {"", "Exit status: 0 all files read (skipped lines are normal), 1 a file could not be read,",
            "2 bad options or rule file."})
public final class ParseCommand implements Callable<Integer> {

    @Mixin
    LogInputOptions input = new LogInputOptions();

    @Option(names = "--format", defaultValue = "jsonl", converter = FormatConverter.class, paramLabel = "FORMAT",
            description = "jsonl, table or csv. Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Extra classifier rule file, tried before the built-in rules (repeatable), as in classify --rules.")
    List<Path> ruleFiles = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files, plain or gzip; - for stdin.")
    List<String> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ParserSettings settings = input.settings(spec.commandLine());
        PrintWriter err = spec.commandLine().getErr();
        Classifier classifier;
        try {
            classifier = Classifier.load(ruleFiles);
        } catch (RuleFileException e) {
            err.println("bouncewatch parse: bad rule file: " + e.getMessage());
            err.flush();
            return 2;
        }
        LogParser parser = new LogParser(settings, Correlator.withDefaults(), reject -> { });
        LogInputs inputs = new LogInputs(parser, settings.maxLineLength(), input.year, "bouncewatch parse", err,
                LogInputs.Progress.NEVER);
        PrintWriter out = spec.commandLine().getOut();
        BackgroundResultWriter writer = new BackgroundResultWriter(new ResultWriter(new BufferedWriter(out, 1 << 16), format));
        boolean allRead;
        // parsing, classifying and formatting each run on a thread of their own
        try (writer; BackgroundHandler classify = new BackgroundHandler(
                r -> writer.write(r, ClassificationJson.fields(classifier.classify(ClassifierInput.of(r)))), "bouncewatch-classify")) {
            allRead = inputs.readAll(files, classify);
        }
        err.println(parser.counters().summary());
        err.println("  " + parser.counters().details());
        err.flush();
        return allRead ? 0 : 1;
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.fromWireName(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
