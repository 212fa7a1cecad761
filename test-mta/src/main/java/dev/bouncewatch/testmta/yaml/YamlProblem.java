package dev.bouncewatch.testmta.yaml;

/**
 * One mistake in a YAML file (a scenario, the agent's config).
 *
 * @param source  file name or other origin ("request body")
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param key     the key path that is wrong, e.g. {@code rules[2].then.reply}
 * @param message what is wrong and what was expected
 */
public record YamlProblem(String source, int line, int column, String key, String message) {
    @Override
    public String toString() {
        return source + ":" + line + ":" + column + ": " + (key == null || key.isEmpty() ? "" : key + ": ")
                + message;
    }
}
