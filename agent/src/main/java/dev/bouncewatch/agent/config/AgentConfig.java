package dev.bouncewatch.agent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The agent's whole configuration, validated.
 *
 * @param stateDir   database and runtime state; default {@code ./bouncewatch-state} (the packaged
 *                   unit sets {@code /var/lib/bouncewatch})
 * @param sources    at least one; default a single {@link SourceConfig.Auto} plus the sink
 * @param ruleFiles  extra classifier rule files, tried before the built-in ones
 * @param origin     the file it came from, or "built-in defaults"
 */
public record AgentConfig(Path stateDir, List<SourceConfig> sources, HttpConfig http, RetentionConfig retention,
                          SuppressionConfig suppression, List<Path> ruleFiles, NotifyConfig notifications, String origin) {

    public AgentConfig {
        sources = List.copyOf(sources);
        ruleFiles = List.copyOf(ruleFiles);
    }

    /** The database file under the state directory. */
    public Path databaseFile() {
        return stateDir.resolve("bouncewatch.db");
    }
}
