package dev.bouncewatch.testmta.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.testmta.client.AddressTemplate;
import dev.bouncewatch.testmta.client.ClientStage;
import dev.bouncewatch.testmta.client.LoadOptions;
import dev.bouncewatch.testmta.client.LoadResult;
import dev.bouncewatch.testmta.client.SmtpLoadClient;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code send}: puts SMTP load on a server and reports messages per second and every reply by
 * stage and code. Exit status 0 when the run completed (whatever the server answered), 1 when no
 * connection could be established, 2 on bad options.
 */
@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Send SMTP load to a server and report messages/s and the replies by stage and code.")
public final class SendCommand implements Callable<Integer> {

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT",
            description = "SMTP server, e.g. 127.0.0.1:2525 or [::1]:25.")
    String server;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "4", description = "Concurrent sessions (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "100", description = "Messages in total (default ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--recipients", paramLabel = "N", defaultValue = "1", description = "Recipients per message (default ${DEFAULT-VALUE}).")
    int recipients;

    @Option(names = "--size", defaultValue = "1024", paramLabel = "BYTES",
            description = "Message size in octets, headers included (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--pipelining", description = "Send MAIL, RCPTs and DATA in one flush when the server offers PIPELINING.")
    boolean pipelining;

    @Option(names = "--from", defaultValue = "load-sender@bouncewatch.test", paramLabel = "ADDR",
            description = "Envelope sender; may use {n} {r} {c} (default ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", defaultValue = "rcpt{n}.{r}@example.test", paramLabel = "ADDR-TEMPLATE",
            description = "Recipient template: {n} message, {r} recipient, {c} connection number "
                    + "(default ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Longest wait for a reply or a connect (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--max-time", defaultValue = "0", paramLabel = "SECONDS",
            description = "Cut the whole run off after this long; 0 means no limit (default ${DEFAULT-VALUE}).")
    double maxTimeSeconds;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "MESSAGES",
            description = "Send this many messages first, not counted, so class loading and JIT do not skew "
                    + "the rate (default ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LoadOptions options;
        try {
            options = new LoadOptions(HostPort.parseUnresolved(server, "--server"), connections, messages, recipients, size, pipelining,
                    AddressTemplate.parse(from), AddressTemplate.parse(to), seconds(timeoutSeconds, "--timeout"),
                    maxTimeSeconds == 0 ? Duration.ZERO : seconds(maxTimeSeconds, "--max-time"));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (warmup < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warmup must be 0 or more, got " + warmup);
        }
        if (warmup > 0) {
            SmtpLoadClient.run(options.withMessages(warmup));
        }
        LoadResult result = SmtpLoadClient.run(options);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(server, options, result));
        } else {
            printTable(out, server, options, result);
        }
        out.flush();
        return result.connected() == 0 && options.messages() > 0 ? 1 : 0;
    }

    private static Duration seconds(double value, String option) {
        if (!(value > 0) || value > 86_400 * 365) {
            throw new IllegalArgumentException(option + ": expected a positive number of seconds, got " + value);
        }
        return Duration.ofNanos((long) (value * 1e9));
    }

    static String toJson(String server, LoadOptions options, LoadResult r) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("server", server);
        root.put("connections", options.connections());
        root.put("connected", r.connected());
        root.put("pipelining", options.pipelining());
        root.put("recipients_per_message", options.recipientsPerMessage());
        root.put("size_bytes", options.sizeBytes());
        ObjectNode msgs = root.putObject("messages");
        msgs.put("total", r.messages());
        msgs.put("attempted", r.attempted());
        msgs.put("accepted", r.accepted());
        msgs.put("failed", r.failed());
        msgs.put("unsent", r.unsent());
        root.put("elapsed_seconds", r.elapsed().toNanos() / 1e9);
        root.put("messages_per_second", round(r.messagesPerSecond()));
        root.put("accepted_per_second", round(r.acceptedPerSecond()));
        ObjectNode replies = root.putObject("replies");
        r.replies().forEach((stage, codes) -> {
            ObjectNode byCode = replies.putObject(stage.label());
            codes.forEach((code, n) -> byCode.put(Integer.toString(code), n));
        });
        ObjectNode errors = root.putObject("connection_errors");
        r.connectionErrors().forEach(errors::put);
        return root.toString();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static void printTable(PrintWriter out, String server, LoadOptions options, LoadResult r) {
        out.printf(Locale.ROOT, "server       %s%s%n", server, options.pipelining() ? " (pipelining)" : "");
        out.printf(Locale.ROOT, "connections  %d asked, %d established, %d ended abnormally%n", options.connections(),
                r.connected(), r.connectionErrorCount());
        out.printf(Locale.ROOT, "messages     %d asked, %d attempted, %d accepted, %d failed, %d unsent%n",
                r.messages(), r.attempted(), r.accepted(), r.failed(), r.unsent());
        out.printf(Locale.ROOT, "elapsed      %.3f s%n", r.elapsed().toNanos() / 1e9);
        out.printf(Locale.ROOT, "rate         %.1f messages/s (%.1f accepted/s)%n", r.messagesPerSecond(),
                r.acceptedPerSecond());
        out.println();
        out.printf(Locale.ROOT, "%-10s %5s %10s%n", "stage", "code", "replies");
        for (ClientStage stage : ClientStage.values()) {
            for (Map.Entry<Integer, Long> e : r.replies().getOrDefault(stage, Map.of()).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                out.printf(Locale.ROOT, "%-10s %5d %10d%n", stage.label(), e.getKey(), e.getValue());
            }
        }
        if (!r.connectionErrors().isEmpty()) {
            out.println();
            out.println("connection errors");
            r.connectionErrors().forEach((reason, n) -> out.printf(Locale.ROOT, "  %8d  %s%n", n, reason));
        }
    }
}
