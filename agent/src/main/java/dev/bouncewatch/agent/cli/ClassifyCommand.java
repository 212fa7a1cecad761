package dev.bouncewatch.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.classify.Classifier;
import dev.bouncewatch.agent.classify.ClassifierInput;
import dev.bouncewatch.agent.classify.RuleFileException;
import dev.bouncewatch.agent.model.SmtpStage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code bouncewatch classify}: says what SMTP replies mean and what to do, for replies given as
 * arguments or one per stdin line. Output is one line per input, in input order; a bad input gets an
 * error line and the rest carry on. Exit 0 when every input was classified, 1 when some were bad,
 * 2 for a bad command line or rule file.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Classify SMTP replies: category, severity, action and advice, one line per input.",
        footer = {"", "Examples:",
                "  bouncewatch classify '550 5.1.1 <x@example.org>: Recipient address rejected: User unknown'",
                "  bouncewatch classify --json --stage rcpt --remote-host aspmx.l.google.com '452 4.2.2 over quota'",
                "  echo '{\"reply\":\"421 4.7.0 [TSS04] deferred\",\"stage\":\"mail\"}' | bouncewatch classify --input jsonl",
                "", "Exit status: 0 all inputs classified, 1 some inputs were bad (each got an error line),",
                "2 bad options or rule file."})
public final class ClassifyCommand implements Callable<Integer> {

    /** Longest input line kept; the classifier reads only the start of a reply anyway. */
    static final int MAX_LINE_CHARS = 1 << 20;

    enum InputFormat { text, jsonl }

    @Option(names = "--json", description = "Write one JSON object per line instead of text columns.")
    boolean json;

    @Option(names = "--stage", paramLabel = "STAGE", converter = StageConverter.class,
            description = "SMTP step the replies answered: connect, helo, starttls, auth, mail, rcpt, data, data_end.")
    SmtpStage stage = SmtpStage.NONE;

    @Option(names = "--remote-host", paramLabel = "HOST", description = "The MX or relay host that sent the replies.")
    String remoteHost;

    @Option(names = "--input", paramLabel = "FORMAT", defaultValue = "text",
            description = "How stdin lines are read: text (one reply per line) or jsonl "
                    + "({\"reply\": ..., \"stage\": ..., \"remoteHost\": ...}). Default: ${DEFAULT-VALUE}.")
    InputFormat input;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Extra rule file, tried before the built-in rules (repeatable); format: classify/text.yml in the jar.")
    List<Path> ruleFiles = new ArrayList<>();

    @Parameters(paramLabel = "REPLY", arity = "0..*", description = "Replies to classify; without any, stdin is read.")
    List<String> replies = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where stdin lines come from; a field so tests can run the command in process. */
    InputStream stdin = System.in;

    /** Made when the command runs: picocli builds every subcommand on each start, and a mapper costs ~0.1 s. */
    private ObjectMapper mapper;
    private int badInputs;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        mapper = new ObjectMapper();
        Classifier classifier;
        try {
            classifier = Classifier.load(ruleFiles);
        } catch (RuleFileException e) {
            err.println("bouncewatch classify: bad rule file: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (!replies.isEmpty()) {
            int n = 0;
            for (String reply : replies) {
                handleText(++n, reply, classifier, out);
            }
        } else {
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            BoundedLineReader lines = new BoundedLineReader(new InputStreamReader(stdin, decoder), MAX_LINE_CHARS);
            int n = 0;
            for (BoundedLineReader.Line line = lines.next(); line != null; line = lines.next()) {
                n++;
                if (input == InputFormat.jsonl) {
                    handleJson(n, line, classifier, out);
                } else {
                    handleText(n, line.text(), classifier, out);
                }
                if (n % 1024 == 0) {
                    out.flush();
                }
            }
        }
        out.flush();
        return badInputs == 0 ? 0 : 1;
    }

    private void handleText(int n, String reply, Classifier classifier, PrintWriter out) {
        if (reply.isBlank()) {
            error(n, "empty reply", reply, out);
            return;
        }
        emit(reply, ClassifierInput.fromReply(reply, stage, remoteHost), classifier, out);
    }

    private void handleJson(int n, BoundedLineReader.Line line, Classifier classifier, PrintWriter out) {
        if (line.truncated()) {
            error(n, "line longer than " + MAX_LINE_CHARS + " characters", line.text(), out);
            return;
        }
        if (line.text().isBlank()) {
            error(n, "empty line, expected a JSON object", line.text(), out);
            return;
        }
        JsonNode node;
        try {
            node = mapper.readTree(line.text());
        } catch (JsonProcessingException e) {
            error(n, "not JSON: " + e.getOriginalMessage(), line.text(), out);
            return;
        }
        if (node == null || !node.isObject()) {
            error(n, "expected a JSON object with a \"reply\" field", line.text(), out);
            return;
        }
        JsonNode reply = node.get("reply");
        if (reply == null || !reply.isTextual() || reply.asText().isBlank()) {
            error(n, "field \"reply\" missing or not a non-empty string", line.text(), out);
            return;
        }
        SmtpStage lineStage = stage;
        JsonNode s = node.get("stage");
        if (s != null && !s.isNull()) {
            try {
                lineStage = StageConverter.parse(s.asText());
            } catch (IllegalArgumentException e) {
                error(n, "field \"stage\": " + e.getMessage(), line.text(), out);
                return;
            }
        }
        JsonNode h = node.get("remoteHost");
        String host = h != null && h.isTextual() ? h.asText() : remoteHost;
        emit(reply.asText(), ClassifierInput.fromReply(reply.asText(), lineStage, host), classifier, out);
    }

    private void emit(String reply, ClassifierInput in, Classifier classifier, PrintWriter out) {
        Classification c = classifier.classify(in);
        if (json) {
            ObjectNode o = mapper.createObjectNode();
            o.put("reply", reply);
            o.put("replyCode", in.replyCode());
            o.put("enhancedCode", in.enhancedCode());
            o.put("stage", in.stage().wireName());
            o.put("remoteHost", in.remoteHost());
            out.println(ClassificationJson.addTo(o, c));
        } else {
            out.printf("%-9s %-15s %-18s %-4s %-34s %s | %s%n", c.severity().wireName(), c.category(),
                    c.action().wireName(), c.hardBounce() ? "hard" : c.isBounce() ? "soft" : "-", c.ruleId(),
                    c.signals().isEmpty() ? "-" : String.join(",", c.signals()), oneLine(reply, 120));
        }
    }

    private void error(int n, String message, String text, PrintWriter out) {
        badInputs++;
        if (json) {
            ObjectNode o = mapper.createObjectNode();
            o.put("line", n);
            o.put("error", message);
            o.put("input", oneLine(text, 200));
            out.println(o);
        } else {
            out.printf("error     line %d: %s | %s%n", n, message, oneLine(text, 120));
        }
    }

    private static String oneLine(String s, int max) {
        String flat = s.replaceAll("\\p{Cntrl}", " ");
        return flat.length() > max ? flat.substring(0, max) + "..." : flat;
    }

    /** Stage names on the command line and in JSON: the wire names, case-insensitive. */
    static final class StageConverter implements CommandLine.ITypeConverter<SmtpStage> {
        @Override
        public SmtpStage convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }

        static SmtpStage parse(String value) {
            try {
                return SmtpStage.fromWireName(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown stage '" + value + "', expected one of "
                        + Arrays.stream(SmtpStage.values()).map(SmtpStage::wireName).collect(Collectors.joining(", ")));
            }
        }
    }
}
