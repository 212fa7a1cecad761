package dev.bouncewatch.agent.notify.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * Silence for one rule, in one scope or all of them, until a time.
 *
 * @param scope {@code provider=microsoft}, or "" for every scope of the rule
 */
public record Mute(String rule, String scope, Instant until, String reason, Instant createdAt) {

    public Mute {
        Objects.requireNonNull(rule, "rule");
        scope = scope == null ? "" : scope;
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    boolean covers(String groupRule, String groupScope) {
        return rule.equals(groupRule) && (scope.isEmpty() || scope.equals(groupScope));
    }
}
