package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.ConfigException;
import dev.bouncewatch.agent.config.ConfigLoader;
import dev.bouncewatch.agent.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} for commands that work on the agent's state: the given file, else
 * /etc/bouncewatch/agent.yml when it exists, else the zero-config defaults (state in
 * ./bouncewatch-state).
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
}
