package dev.bouncewatch.agent.config;

import dev.bouncewatch.testmta.yaml.YamlProblem;
import java.util.List;

/**
 * A usable config and what looked wrong in it without being an error (an API on a public
 * address without a token, a secret file others can read); the caller logs or prints them.
 */
public record LoadedConfig(AgentConfig config, List<YamlProblem> warnings) {

    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
