package dev.bouncewatch.agent.config;

import dev.bouncewatch.testmta.yaml.Problems;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the section readers share while one config file is read: where errors and warnings go,
 * the directory relative paths are resolved against, and the environment secrets come from.
 *
 * @param problems    errors; any of them makes the config unusable
 * @param warnings    things that work but are probably not what the user wants
 * @param baseDir     the config file's directory (the working directory for text without a file)
 * @param environment looks up an environment variable, null when unset (tests pass a map)
 * @param sourceReadableByOthers the config file can be read by other users, so a secret written
 *                    into it is not secret (a warning suggests {@code {file:}} or {@code {env:}})
 */
public record ConfigContext(Problems problems, Problems warnings, Path baseDir, Function<String, String> environment,
                            boolean sourceReadableByOthers) {

    public ConfigContext {
        Objects.requireNonNull(problems, "problems");
        Objects.requireNonNull(warnings, "warnings");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(environment, "environment");
    }

    /** The file name problems are reported under. */
    public String source() {
        return problems.source();
    }

    /** {@code path} made absolute against the config file's directory. */
    public Path resolve(String path) {
        return baseDir.resolve(path).normalize();
    }
}
