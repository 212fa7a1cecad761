package dev.bouncewatch.agent.classify;

import java.util.List;

/** The contents of one rule file; every section is optional. */
record RuleFile(String name, List<Provider> providers, List<StageCue> stageCues, List<Wrapper> wrappers,
                List<SignalExtractor> signals, List<String> transientCues, List<Rule> rules) {
}
