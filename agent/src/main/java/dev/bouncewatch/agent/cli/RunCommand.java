package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.AgentConfig;
import dev.bouncewatch.agent.config.ConfigException;
import dev.bouncewatch.agent.config.ConfigLoader;
import dev.bouncewatch.agent.config.LoadedConfig;
import dev.bouncewatch.agent.run.Agent;
import dev.bouncewatch.agent.run.StatusLine;
import dev.bouncewatch.agent.run.SystemdNotify;
import dev.bouncewatch.agent.store.SchemaTooNewException;
import dev.bouncewatch.testmta.yaml.YamlProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code bouncewatch run}: the long-running agent. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the agent: follow the mail logs (and the embedded test sink), keep results and the "
                + "suppression list in SQLite, serve the HTTP API and metrics, send notifications.",
                "Without --config it runs on built-in defaults: auto-detected logs, the sink on 127.0.0.1:2525, "
                        + "HTTP on 127.0.0.1:9325, state in ./bouncewatch-state."},
        footer = {"", "Exit status: 0 stopped by SIGTERM or SIGINT, 1 could not start, 2 bad config,",
            "3 the database was written by a newer bouncewatch (not changed; see `bouncewatch db info`)."})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    /** How often systemctl status gets a fresh line. */
    private static final Duration STATUS_PERIOD = Duration.ofSeconds(15);

    /** Exit status when the database was written by a newer bouncewatch (a downgrade): retrying cannot help. */
    static final int DATABASE_TOO_NEW = 3;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config (see `bouncewatch config defaults`)")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig loaded;
        try {
            loaded = config == null ? new ConfigLoader().loadOrDefaults(null) : new ConfigLoader().load(config);
        } catch (ConfigException e) {
            err.println("bouncewatch: " + e.getMessage());
            return 2;
        }
        for (YamlProblem warning : loaded.warnings()) {
            LOG.warn("config: {}", warning);
        }
        AgentConfig agentConfig = loaded.config();
        if (config == null && Files.exists(ConfigLoader.PACKAGED_PATH)) {
            LOG.info("running on built-in defaults; the packaged config {} is used only with --config",
                    ConfigLoader.PACKAGED_PATH);
        }
        LOG.info("starting: {}", agentConfig.summary());

        CountDownLatch stop = new CountDownLatch(1);
        // SIGTERM/SIGINT end the wait below so the stop runs on this thread and the exit code is 0;
        // a JVM left to its default handler exits with 143 after running shutdown hooks.
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.countDown());
            } catch (IllegalArgumentException unsupported) {
                LOG.debug("cannot handle SIG{}: {}", name, unsupported.getMessage());
            }
        }
        SystemdNotify systemd = SystemdNotify.fromEnvironment();
        Agent agent;
        try {
            RunNotifier[] notifier = new RunNotifier[1];
            agent = Agent.start(agentConfig, store -> notifier[0] = RunNotifier.create(agentConfig.notifications(), store,
                    Clock.systemUTC()), Clock.systemUTC());
            notifier[0].watchSources(agent::sources);
        } catch (SchemaTooNewException e) {
            // a distinct status: the unit's RestartPreventExitStatus= keeps systemd from retrying every few seconds
            LOG.error("cannot start: {}", e.getMessage());
            return DATABASE_TOO_NEW;
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot start: {}", e.getMessage());
            LOG.debug("start failure", e);
            return 1;
        }
        Thread hook = new Thread(agent::close, "bouncewatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        systemd.ready(StatusLine.of(agent.sources()));
        systemd.startWatchdog(agent::healthy);
        systemd.startStatusUpdates(() -> StatusLine.of(agent.sources()), STATUS_PERIOD);
        LOG.info("ready");
        stop.await();
        LOG.info("stopping");
        systemd.stopping("committing and closing");
        agent.close();
        systemd.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway; close() is idempotent
        }
        LOG.info("stopped");
        return 0;
    }
}
