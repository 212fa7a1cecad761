package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.notify.alert.GroupState.Phase;
import dev.bouncewatch.agent.notify.alert.GroupState.Told;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides, per alert group, what changes and whether a message goes out, the way Alertmanager's
 * dispatcher and notification log do, but as a pure function of the persisted state, the alerts
 * active now and the clock (so restarts and tests see the same decisions):
 * <ul>
 *   <li>a new alert is announced once it has been active for group wait; one that clears before is
 *       never mentioned;</li>
 *   <li>while it fires, another message only when its severity rose (at most once per group
 *       interval) or when repeat interval has passed;</li>
 *   <li>when it clears, a resolved message once group interval has passed since the last message;
 *       if it fires again before that, nothing is said;</li>
 *   <li>a held group (muted, or inhibited by an alert that explains it) gets no message; a resolved
 *       message owed to a muted group waits for the mute to end.</li>
 * </ul>
 */
final class AlertGrouper {

    enum Reason {
        NEW, ESCALATED, REPEAT, RESOLVED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A message to send about a group; {@code alert} is null for resolved messages. */
    record Notification(Reason reason, GroupState group, Alert alert) {
    }

    /**
     * What to do with one group.
     *
     * @param next the state to store, or null to delete the group
     */
    record Decision(String groupKey, GroupState next, Notification notification) {
    }

    private final GroupTimers timers;

    AlertGrouper(GroupTimers timers) {
        this.timers = timers;
    }

    /**
     * @param previous  stored groups of the rules that were evaluated (others are left alone)
     * @param active    alerts active now, by group key, held ones included
     * @param held      why a group is held back now ({@code mute} or the inhibiting group key)
     */
    List<Decision> decide(Map<String, GroupState> previous, Map<String, Alert> active, Map<String, String> held, Instant now) {
        Set<String> keys = new LinkedHashSet<>(previous.keySet());
        keys.addAll(active.keySet());
        List<Decision> out = new ArrayList<>();
        for (String key : keys) {
            Alert alert = active.get(key);
            GroupState before = previous.get(key);
            Decision d = alert != null ? active(key, before, alert, held.get(key), now) : inactive(key, before, held.get(key), now);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    private Decision active(String key, GroupState before, Alert alert, String heldBy, Instant now) {
        GroupState s;
        if (before == null || (before.phase() == Phase.RESOLVED && !before.resolvedMessageOwed())) {
            s = new GroupState(key, alert.rule(), alert.scope().toString(), Phase.PENDING, alert.severity(), now, null, now,
                    null, Told.NOTHING, null, 0, heldBy, null);
        } else if (before.resolvedMessageOwed()) {
            s = before.refired(); // back before anyone heard it had cleared: the episode goes on
        } else {
            s = before;
        }
        s = s.seen(alert.severity(), now, heldBy, AlertJson.details(alert));
        if (heldBy != null) {
            return new Decision(key, s, null);
        }
        Reason reason = null;
        if (s.told() != Told.FIRING) {
            if (!now.isBefore(s.activeSince().plus(alert.health() ? Duration.ZERO : timers.groupWait()))) {
                reason = Reason.NEW;
            }
        } else if (s.lastSentSeverity() != null && alert.severity().compareTo(s.lastSentSeverity()) > 0
                && !now.isBefore(s.lastSentAt().plus(timers.groupInterval()))) {
            reason = Reason.ESCALATED;
        } else if (!now.isBefore(s.lastSentAt().plus(timers.repeatInterval()))) {
            reason = Reason.REPEAT;
        }
        if (reason == null) {
            return new Decision(key, s, null);
        }
        GroupState sent = s.sent(Told.FIRING, now);
        return new Decision(key, sent, new Notification(reason, sent, alert));
    }

    private Decision inactive(String key, GroupState before, String heldBy, Instant now) {
        GroupState s = before;
        if (s.phase() != Phase.RESOLVED) {
            if (s.told() != Told.FIRING) {
                return new Decision(key, null, null); // cleared before anyone was told: say nothing
            }
            s = s.resolved(now, heldBy);
        } else {
            s = s.held(heldBy, s.updatedAt());
        }
        if (s.resolvedMessageOwed()) {
            boolean intervalPassed = s.lastSentAt() == null || !now.isBefore(s.lastSentAt().plus(timers.groupInterval()));
            if (heldBy == null && intervalPassed) {
                GroupState sent = s.sent(Told.RESOLVED, now);
                return new Decision(key, sent, new Notification(Reason.RESOLVED, sent, null));
            }
            return new Decision(key, s, null);
        }
        if (s.resolvedAt() != null && !now.isBefore(s.resolvedAt().plus(GroupTimers.KEEP_RESOLVED))) {
            return new Decision(key, null, null);
        }
        return s.equals(before) ? null : new Decision(key, s, null);
    }
}
