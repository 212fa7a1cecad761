package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.AgentConfig;
import dev.bouncewatch.agent.config.ConfigException;
import dev.bouncewatch.agent.config.ConfigLoader;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} for commands that work on the running agent's database: the file given,
 * else /etc/bouncewatch/agent.yml when it exists, else the zero-config defaults.
 */
final class AgentConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The agent's config file, to find its database. Default: /etc/bouncewatch/agent.yml if present, else the built-in defaults.")
    Path file;

    AgentConfig load() throws ConfigException {
        Path chosen = file != null ? file : Files.isRegularFile(ConfigLoader.PACKAGED_PATH) ? ConfigLoader.PACKAGED_PATH : null;
        return new ConfigLoader().loadOrDefaults(chosen).config();
    }

    /** Opens the agent's existing database; a missing one is an error (nothing to look at yet). */
    Store openExisting(AgentConfig config) throws StoreException {
        Path db = config.databaseFile();
        if (!Files.isRegularFile(db)) {
            throw new StoreException(db + " does not exist: has the agent run with this config? (--config FILE names another)", null);
        }
        return Store.open(db);
    }
}
