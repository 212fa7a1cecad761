package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.session.ProtocolOptions;
import java.util.List;

/**
 * A scenario as the HTTP API and {@code check} show it.
 *
 * @param source          file name or origin
 * @param seed            seed of all random draws
 * @param protocol        protocol options, AUTH passwords masked
 * @param stagesUsed      stages at which at least one rule can decide, in protocol order
 * @param rules           rules in evaluation order
 * @param magicAddressHits replies decided by magic addresses since load
 * @param stateEntries    greylist triplets, rate buckets and sequence counters held now
 */
public record ScenarioDescription(String source, long seed, ProtocolOptions protocol, List<String> stagesUsed,
                                  List<RuleDescription> rules, long magicAddressHits, int stateEntries) {

    /**
     * @param when conditions in words, all of which must hold
     * @param then the action in words
     * @param hits times the rule decided an outcome since load
     */
    public record RuleDescription(String id, String description, int line, List<String> stages, List<String> when,
                                  String then, long hits) {
    }
}
