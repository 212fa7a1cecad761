package dev.bouncewatch.testmta.cli;

import dev.bouncewatch.testmta.events.JsonLinesEventWriter;
import dev.bouncewatch.testmta.events.RecentTransactions;
import dev.bouncewatch.testmta.events.SinkMetrics;
import dev.bouncewatch.testmta.http.ControlApi;
import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.scenario.ScenarioException;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.scenario.ScenarioLoader;
import dev.bouncewatch.testmta.scenario.Scenarios;
import dev.bouncewatch.testmta.server.ServerSettings;
import dev.bouncewatch.testmta.server.SinkServer;
import dev.bouncewatch.testmta.server.TransactionListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code test-mta serve}: runs the sink until stopped (SIGTERM or Ctrl-C). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the SMTP sink.",
                "With no scenario it accepts everything, except magic recipients such as",
                "550-5.1.1@example.test, which get that reply."})
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:2525",
            description = "SMTP address to listen on (default: ${DEFAULT-VALUE}; loopback unless you say otherwise)")
    String listen;

    @Option(names = "--scenario", paramLabel = "FILE", description = "scenario YAML (rules, protocol options)")
    Path scenarioFile;

    @Option(names = "--http", paramLabel = "HOST:PORT|off", defaultValue = "127.0.0.1:8025",
            description = "control API and /metrics (default: ${DEFAULT-VALUE}); 'off' to disable")
    String http;

    @Option(names = "--http-token-file", paramLabel = "FILE",
            description = "require 'Authorization: Bearer <token>' on the control API; the token is read from "
                    + "this file (or the TEST_MTA_HTTP_TOKEN environment variable), never from the command line")
    Path tokenFile;

    @Option(names = "--events", paramLabel = "FILE", description = "append every reply given as a JSON line")
    Path eventsFile;

    @Option(names = "--capture", paramLabel = "DIR", description = "write accepted messages as .eml files (slow; off by default)")
    Path captureDir;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain for STARTTLS (default: self-signed, made at start)")
    Path certFile;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM (PKCS#8) private key for --tls-cert")
    Path keyFile;

    @Option(names = "--event-loops", paramLabel = "N", defaultValue = "0",
            description = "threads that accept connections and run sessions (default 0: half the processors, at least 1)")
    int eventLoops;

    @Override
    public Integer call() throws Exception {
        try {
            return serve();
        } catch (StartupException e) {
            spec.commandLine().getErr().println("test-mta serve: " + e.getMessage());
            return 1;
        }
    }

    /** A start-up failure the user can fix, said in one line instead of a stack trace. */
    private static final class StartupException extends Exception {
        StartupException(String what, Exception cause) {
            super(what + ": " + describe(cause), cause);
        }

        private static String describe(Exception e) {
            if (e instanceof java.net.BindException || String.valueOf(e.getMessage()).contains("Address already in use")) {
                return "address already in use (another process listens there; pick another port)";
            }
            if (e instanceof java.nio.file.NoSuchFileException) {
                return "no such file or directory";
            }
            if (e instanceof java.nio.file.AccessDeniedException) {
                return "permission denied";
            }
            if (e instanceof java.nio.file.FileAlreadyExistsException) {
                return "exists and is not a directory";
            }
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private Integer serve() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Scenario scenario;
        String source;
        try {
            if (scenarioFile == null) {
                scenario = Scenarios.defaults();
                source = "";
            } else {
                source = ScenarioLoader.readText(scenarioFile); // read once: what runs is what the API shows
                scenario = new ScenarioLoader().load(source, scenarioFile.toString());
            }
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            return 1;
        }
        ScenarioHolder holder = new ScenarioHolder(scenario, source);
        ServerSettings settings;
        InetSocketAddress httpAddress;
        try { // every address checked before anything listens
            settings = new ServerSettings(HostPort.parse(listen, "--listen"), certFile, keyFile, captureDir, eventLoops);
            httpAddress = "off".equalsIgnoreCase(http) ? null : HostPort.parse(http, "--http");
        } catch (IllegalArgumentException e) {
            err.println("test-mta serve: " + e.getMessage());
            return 2;
        }
        if (captureDir != null) {
            try {
                Files.createDirectories(captureDir);
            } catch (IOException e) {
                throw new StartupException("--capture " + captureDir, e);
            }
        }
        String token;
        try {
            token = readToken();
            if (token != null && token.isBlank()) {
                throw new IllegalArgumentException("the token is empty");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new StartupException("--http-token-file " + tokenFile, e);
        }

        RecentTransactions recent = new RecentTransactions(RecentTransactions.DEFAULT_CAPACITY);
        JsonLinesEventWriter events;
        try {
            events = eventsFile == null ? null
                    : JsonLinesEventWriter.open(eventsFile, JsonLinesEventWriter.DEFAULT_QUEUE_CAPACITY);
        } catch (IOException e) {
            throw new StartupException("--events " + eventsFile, e);
        }
        SinkServer[] server = new SinkServer[1];
        SinkMetrics metrics = new SinkMetrics(() -> server[0] == null ? 0 : server[0].activeConnections(),
                () -> holder.current().version(), () -> events == null ? 0 : events.dropped());
        TransactionListener listener = recent.andThen(metrics);
        if (events != null) {
            listener = listener.andThen(events);
        }

        try {
            server[0] = SinkServer.start(settings, holder, listener);
        } catch (Exception e) {
            throw new StartupException("cannot listen on " + listen, e);
        }
        ControlApi api = null;
        if (httpAddress != null) {
            try {
                api = ControlApi.start(new ControlApi.Settings(httpAddress, token, ControlApi.Settings.DEFAULT_MAX_BODY),
                        holder, new ScenarioLoader(), recent, metrics, server[0]::activeConnections);
            } catch (IOException e) {
                server[0].close();
                throw new StartupException("cannot listen on --http " + http, e);
            }
            if (!httpAddress.getAddress().isLoopbackAddress() && token == null) {
                LOG.warn("the control API on {} can replace the scenario and has no token: anyone who can reach "
                        + "it can; consider --http-token-file", http);
            }
        }
        InetSocketAddress smtp = server[0].address();
        LOG.info("test-mta listening on {} (scenario: {}){}", HostPort.format(smtp),
                scenarioFile == null ? "built-in defaults, magic addresses on" : scenarioFile,
                api == null ? "" : ", control API on http://" + HostPort.format(api.address()));

        CountDownLatch stopped = new CountDownLatch(1);
        ControlApi apiToClose = api;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            if (apiToClose != null) {
                apiToClose.close();
            }
            server[0].close();
            if (events != null) {
                try {
                    events.close();
                } catch (IOException e) {
                    LOG.warn("closing the event file: {}", e.toString());
                }
            }
            stopped.countDown();
        }, "test-mta-shutdown"));
        stopped.await();
        return 0;
    }

    private String readToken() throws IOException {
        if (tokenFile != null) {
            return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        }
        String env = System.getenv("TEST_MTA_HTTP_TOKEN");
        return env == null || env.isBlank() ? null : env.strip();
    }
}
