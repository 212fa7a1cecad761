package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.session.Extension;
import dev.bouncewatch.testmta.session.ProtocolOptions;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A scenario as the HTTP API and {@code check} show it. Only strings, numbers and lists, so any
 * JSON mapper can write it without extra modules.
 *
 * @param source           file name or origin
 * @param seed             seed of all random draws
 * @param protocol         protocol options, without AUTH passwords
 * @param stagesUsed       stages at which at least one rule can decide, in protocol order
 * @param rules            rules in evaluation order
 * @param magicAddressHits replies decided by magic addresses since load
 * @param stateEntries     greylist triplets, rate buckets and sequence counters held now
 */
public record ScenarioDescription(String source, long seed, Protocol protocol, List<String> stagesUsed,
                                  List<RuleDescription> rules, long magicAddressHits, int stateEntries) {

    /**
     * @param when conditions in words, all of which must hold
     * @param then the action in words
     * @param hits times the rule decided an outcome since load
     */
    public record RuleDescription(String id, String description, int line, List<String> stages, List<String> when,
                                  String then, long hits) {
    }

    /** {@link ProtocolOptions} in JSON-friendly form; {@code authUsers} lists names only. */
    public record Protocol(String hostname, List<String> advertised, List<String> refused, long sizeLimit,
                           int maxRecipients, int maxCommandLine, String bareLf, String starttlsLeftover,
                           long idleTimeoutSeconds, List<String> authUsers, boolean requireTls, boolean requireAuth,
                           int maxConnections, int maxConnectionsPerIp, boolean magicAddresses) {

        static Protocol of(ProtocolOptions p) {
            return new Protocol(p.hostname(), keywords(p.advertised()), keywords(p.refused()), p.sizeLimit(),
                    p.maxRecipients(), p.maxCommandLine(), p.bareLineFeed().name().toLowerCase(Locale.ROOT),
                    p.starttlsLeftover().name().toLowerCase(Locale.ROOT), p.idleTimeout().toSeconds(),
                    p.authUsers().keySet().stream().sorted().toList(), p.requireTls(), p.requireAuth(),
                    p.maxConnections(), p.maxConnectionsPerIp(), p.magicAddresses());
        }

        private static List<String> keywords(Set<Extension> extensions) {
            return extensions.stream().sorted().map(Extension::keyword).toList();
        }
    }
}
