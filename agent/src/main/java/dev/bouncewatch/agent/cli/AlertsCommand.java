package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.AgentConfig;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bouncewatch alerts list|mute|unmute}. */
@Command(name = "alerts", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Shows the agent's alerts and mutes one rule (in one scope or all) for a while.",
        subcommands = {AlertsListCommand.class, AlertsMuteCommand.class, AlertsUnmuteCommand.class})
public final class AlertsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Opens the agent's existing database; a missing one is an error (nothing to look at or mute yet). */
    static Store openExisting(AgentConfig config) throws StoreException {
        Path db = config.databaseFile();
        if (!Files.isRegularFile(db)) {
            throw new StoreException(db + " does not exist: has the agent run with this config? (--config FILE names another)", null);
        }
        return Store.open(db);
    }
}
