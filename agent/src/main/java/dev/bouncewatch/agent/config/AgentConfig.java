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

    /** The {@link #origin()} of {@link #defaults()}. */
    public static final String BUILT_IN = "built-in defaults";

    /**
     * The zero-config run: state in {@code ./bouncewatch-state}, this host's logs found
     * automatically plus the embedded sink on 127.0.0.1:2525 with magic addresses, the API on
     * 127.0.0.1:9325 without a token, default retention and suppression, notifications on the console.
     */
    public static AgentConfig defaults() {
        return new AgentConfig(Path.of("bouncewatch-state").toAbsolutePath(),
                List.of(SourceConfig.Auto.defaults(), SourceConfig.Sink.builtIn()), HttpConfig.defaults(),
                RetentionConfig.defaults(), SuppressionConfig.defaults(), List.of(), NotifyConfig.defaults(), BUILT_IN);
    }

    /** One line for the start-up log: where each part comes from and goes to; never a secret. */
    public String summary() {
        return ConfigSummary.of(this);
    }

    /** The database file under the state directory. */
    public Path databaseFile() {
        return stateDir.resolve("bouncewatch.db");
    }
}
