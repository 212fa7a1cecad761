package dev.bouncewatch.testmta.scenario;

/** Turns scenario text (YAML) into a {@link Scenario}; used by the CLI and the HTTP control API. */
@FunctionalInterface
public interface ScenarioParser {

    Scenario parse(String text, String sourceName) throws ScenarioException;
}
