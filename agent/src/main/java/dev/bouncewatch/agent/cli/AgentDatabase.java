package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.AgentConfig;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Opens the agent's database for a maintenance command, which may run beside the agent (WAL allows it). */
final class AgentDatabase {

    private AgentDatabase() {
    }

    /** The existing database, or empty when the agent has never run with this config. */
    static Optional<Store> openExisting(AgentConfig config) throws StoreException {
        Path file = config.databaseFile();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(Store.open(file));
    }
}
