package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.notify.AlertSeverity;
import java.time.Instant;
import java.util.Locale;

/**
 * One alert group as persisted in {@code alert_groups}: where its current episode stands and what
 * people were last told about it.
 *
 * @param activeSince start of the current episode (when the condition began to hold)
 * @param told        what the last message said; {@link Told#NOTHING} before the first
 * @param sentCount   messages about this episode so far (part of their event ids)
 * @param heldBy      why it is not notified right now ({@code mute} or the inhibiting group key), or null
 * @param details     the latest alert as JSON ({@link AlertJson}); the resolved message reuses it
 */
public record GroupState(String groupKey, String rule, String scope, Phase phase, AlertSeverity severity,
                         Instant activeSince, Instant resolvedAt, Instant updatedAt, Instant lastSentAt, Told told,
                         AlertSeverity lastSentSeverity, int sentCount, String heldBy, String details) {

    public enum Phase {
        /** active, nobody told yet (group wait, or held back) */
        PENDING,
        /** active and announced */
        FIRING,
        /** no longer active; a resolved message may still be owed */
        RESOLVED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Phase fromWireName(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public enum Told {
        NOTHING, FIRING, RESOLVED;

        String wireName() {
            return this == NOTHING ? null : name().toLowerCase(Locale.ROOT);
        }

        static Told fromWireName(String s) {
            return s == null ? NOTHING : valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** A resolved message is owed when people were told it fires and it no longer does. */
    public boolean resolvedMessageOwed() {
        return phase == Phase.RESOLVED && told == Told.FIRING;
    }

    GroupState withPhase(Phase p) {
        return new GroupState(groupKey, rule, scope, p, severity, activeSince, resolvedAt, updatedAt, lastSentAt, told,
                lastSentSeverity, sentCount, heldBy, details);
    }

    GroupState seen(AlertSeverity s, Instant now, String held, String json) {
        return new GroupState(groupKey, rule, scope, phase, s, activeSince, resolvedAt, now, lastSentAt, told,
                lastSentSeverity, sentCount, held, json);
    }

    GroupState resolved(Instant now, String held) {
        return new GroupState(groupKey, rule, scope, Phase.RESOLVED, severity, activeSince, now, now, lastSentAt, told,
                lastSentSeverity, sentCount, held, details);
    }

    GroupState refired() {
        return new GroupState(groupKey, rule, scope, Phase.FIRING, severity, activeSince, null, updatedAt, lastSentAt, told,
                lastSentSeverity, sentCount, heldBy, details);
    }

    GroupState held(String held, Instant now) {
        return new GroupState(groupKey, rule, scope, phase, severity, activeSince, resolvedAt, now, lastSentAt, told,
                lastSentSeverity, sentCount, held, details);
    }

    GroupState sent(Told what, Instant now) {
        return new GroupState(groupKey, rule, scope, what == Told.FIRING ? Phase.FIRING : phase, severity, activeSince,
                resolvedAt, updatedAt, now, what, severity, sentCount + 1, heldBy, details);
    }
}
