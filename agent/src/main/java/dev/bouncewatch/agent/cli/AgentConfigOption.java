package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.AgentConfig;
import dev.bouncewatch.agent.config.ConfigException;
import dev.bouncewatch.agent.config.ConfigLoader;
import dev.bouncewatch.agent.config.LoadedConfig;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} for commands that work on the agent's state: the given file, else
 * /etc/bouncewatch/agent.yml when it exists, else the zero-config defaults (state in
 * ./bouncewatch-state). Also the steps the maintenance commands share: load it, open the agent's
 * database, and turn a config or database that cannot be used into a message and exit status 2.
 */
public final class AgentConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The agent's config file (to find its database and destinations). "
                    + "Default: /etc/bouncewatch/agent.yml if present, else the built-in defaults.")
    Path file;

    /** Where {@code {env: NAME}} secrets come from; tests replace it. */
    Function<String, String> environment = System::getenv;

    /** Where the packaged config is looked for; tests point it elsewhere. */
    Path packaged = ConfigLoader.PACKAGED_PATH;

    /** Loads the config and prints its warnings (a secret in a world-readable file ...) to {@code err}. */
    public LoadedConfig load(PrintWriter err) throws ConfigException {
        Path chosen = file != null ? file : Files.isRegularFile(packaged) ? packaged : null;
        LoadedConfig loaded = new ConfigLoader(environment).loadOrDefaults(chosen);
        loaded.warnings().forEach(w -> err.println("warning: " + w));
        err.flush();
        return loaded;
    }

    /** What was loaded, for messages. */
    public String describe() {
        return file != null ? file.toString() : Files.isRegularFile(packaged) ? packaged.toString() : "the built-in defaults";
    }

    /** A maintenance command's work on the agent's database; answers the command's exit status. */
    @FunctionalInterface
    interface DatabaseWork {
        int run(AgentConfig config, Store store) throws StoreException;
    }

    /** Like {@link #load}, but prints the config's problems to {@code err} and answers empty (exit status 2). */
    Optional<LoadedConfig> loadOrReport(PrintWriter err) {
        try {
            return Optional.of(load(err));
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            err.flush();
            return Optional.empty();
        }
    }

    /** Prints why the database failed; answers exit status 2. */
    static int databaseFailed(PrintWriter err, StoreException e) {
        err.println(e.getMessage());
        err.flush();
        return 2;
    }

    /**
     * Runs {@code work} on the agent's existing database; a missing one is an error (exit status 2:
     * nothing to look at or change yet), as are a bad config or database.
     */
    int withExistingDatabase(PrintWriter err, DatabaseWork work) {
        return withExistingDatabase(err, 2,
                db -> db + " does not exist: has the agent run with this config? (--config FILE names another)", work);
    }

    /**
     * Runs {@code work} on the agent's existing database; when there is none yet, prints
     * {@code whenMissing} of its path and answers 1 (nothing to do). A bad config or database answers 2.
     */
    int withExistingDatabase(PrintWriter err, Function<Path, String> whenMissing, DatabaseWork work) {
        return withExistingDatabase(err, 1, whenMissing, work);
    }

    private int withExistingDatabase(PrintWriter err, int missingStatus, Function<Path, String> whenMissing, DatabaseWork work) {
        Optional<LoadedConfig> loaded = loadOrReport(err);
        if (loaded.isEmpty()) {
            return 2;
        }
        AgentConfig config = loaded.get().config();
        try {
            Optional<Store> opened = AgentDatabase.openExisting(config);
            if (opened.isEmpty()) {
                err.println(whenMissing.apply(config.databaseFile()));
                err.flush();
                return missingStatus;
            }
            try (Store store = opened.get()) {
                return work.run(config, store);
            }
        } catch (StoreException e) {
            return databaseFailed(err, e);
        }
    }
}
