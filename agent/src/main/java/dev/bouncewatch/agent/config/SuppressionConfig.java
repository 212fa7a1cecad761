package dev.bouncewatch.agent.config;

import java.time.Duration;
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

    /** {@code failures} permanent failures within {@code window}; 1 means at the first. */
    public record Rule(int failures, Duration window) {
    }
}
