package dev.bouncewatch.testmta.server;

import dev.bouncewatch.testmta.scenario.Outcome;
import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.session.ProtocolOptions;
import dev.bouncewatch.testmta.session.TransactionContext;
import java.util.function.Function;

/** A scenario double: fixed protocol options and a function from context to outcome. */
record TestScenario(ProtocolOptions protocol, Function<TransactionContext, Outcome> rules) implements Scenario {

    static TestScenario of(ProtocolOptions options) {
        return new TestScenario(options, c -> Outcome.PROCEED);
    }

    @Override
    public Outcome decide(TransactionContext context) {
        return rules.apply(context);
    }
}
