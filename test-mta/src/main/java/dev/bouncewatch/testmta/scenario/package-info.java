/**
 * Scenarios: rules that decide the sink's reply at each SMTP stage.
 *
 * <p>Loading: {@link dev.bouncewatch.testmta.scenario.ScenarioLoader} composes YAML to nodes and
 * reads each section ({@code ProtocolReader}, {@code CatalogReader}, {@code RuleReader}),
 * collecting every problem with its line, column and key into a
 * {@link dev.bouncewatch.testmta.scenario.ScenarioException}.
 *
 * <p>Deciding: {@link dev.bouncewatch.testmta.scenario.RuleScenario#decide} tries the rules in
 * order; a rule applies when its stage and all its {@code Condition}s hold and its {@code Action}
 * returns an outcome (the greylist and rate gates return none while they let the client through).
 * At RCPT, magic addresses come next, then the protocol's normal answer. Randomness comes from
 * {@code Dice}, a pure function of the seed and the session inputs; state lives in bounded,
 * expiring {@code ExpiringStore}s per rule, timed by an injectable {@link java.time.InstantSource}.
 *
 * <p>The format is described in {@code test-mta/examples/README.md}; the built-in replies are in
 * {@code catalog/replies.yml}.
 */
package dev.bouncewatch.testmta.scenario;
