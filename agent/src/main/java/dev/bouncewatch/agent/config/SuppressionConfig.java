package dev.bouncewatch.agent.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code suppression:}: when a hard bounce puts its recipient on the list.
 *
 * @param enabled   false: never add automatically (manual entries still work)
 * @param rules     per classification category: how many permanent failures within a window
 * @param never     categories that never suppress whatever the rules say (blocked, reputation,
 *                  authentication problems are the sender's, not the address's)
 */
public record SuppressionConfig(boolean enabled, Map<String, Rule> rules, Set<String> never) {

    /**
     * The address-level categories: gone at the first permanent failure (userunknown, hostunknown,
     * hasmoved, notaccept), after repeats for states that can end (suspend 2 in 14 days, mailboxfull 3
     * in 14 days, filtered 2 in 7 days). Never for what is the sender's problem (reputation, blocks,
     * authentication, DNS, content, rate limits) or the network's. Insertion-ordered, so the
     * start-up summary and the documented config list them the same way every time.
     */
    public static SuppressionConfig defaults() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (String category : List.of("userunknown", "hostunknown", "hasmoved", "notaccept")) {
            rules.put(category, Rule.atFirst());
        }
        rules.put("suspend", new Rule(2, Duration.ofDays(14)));
        rules.put("mailboxfull", new Rule(3, Duration.ofDays(14)));
        rules.put("filtered", new Rule(2, Duration.ofDays(7)));
        Set<String> never = new LinkedHashSet<>(List.of("blocked", "badreputation", "spamdetected", "virusdetected",
                "policyviolation", "contenterror", "notcompliantrfc", "authfailure", "requireptr", "rejected", "norelaying",
                "securityerror", "failedstarttls", "speeding", "toomanyconn", "mesgtoobig", "exceedlimit",
                "syntaxerror", "networkerror", "systemerror", "systemfull", "mailererror", "expired"));
        return new SuppressionConfig(true, Collections.unmodifiableMap(rules), Collections.unmodifiableSet(never));
    }

    /** {@code failures} permanent failures within {@code window}; 1 means at the first. */
    public record Rule(int failures, Duration window) {

        /** Suppress at the first permanent failure; the window does not matter then. */
        public static Rule atFirst() {
            return new Rule(1, Duration.ZERO);
        }
    }
}
