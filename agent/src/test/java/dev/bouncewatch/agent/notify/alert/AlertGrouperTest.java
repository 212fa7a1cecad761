package dev.bouncewatch.agent.notify.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.alert.AlertGrouper.Decision;
import dev.bouncewatch.agent.notify.alert.GroupState.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The grouping timers as a pure function: state in, decisions out. */
class AlertGrouperTest {

    private static final Instant T0 = Instant.parse("2026-11-28T13:00:00Z");
    private final AlertGrouper grouper = new AlertGrouper(GroupTimers.defaults());
    private final Map<String, GroupState> state = new HashMap<>();
    private final List<String> sent = new ArrayList<>();

    private static Alert alert(String rule, AlertSeverity severity, boolean health) {
        return new Alert(rule, new Scope("provider", "yahoo"), "Deferral spike", severity, health, "s", List.of(), Map.of(),
                "reduce-rate", "a", List.of(), 0, List.of(), 0, Set.of());
    }

    private static Alert alert(AlertSeverity severity) {
        return alert("deferral_spike", severity, false);
    }

    /** One evaluation at T0 + seconds; the alert is active when non-null. */
    private void at(long seconds, Alert active, String held) {
        Map<String, Alert> activeNow = new LinkedHashMap<>();
        if (active != null) {
            activeNow.put(active.groupKey(), active);
        }
        Map<String, String> heldNow = new HashMap<>();
        if (held != null) {
            heldNow.put("deferral_spike/provider=yahoo", held);
        }
        for (Decision d : grouper.decide(state, activeNow, heldNow, T0.plusSeconds(seconds))) {
            if (d.next() == null) {
                state.remove(d.groupKey());
            } else {
                state.put(d.groupKey(), d.next());
            }
            if (d.notification() != null) {
                sent.add(seconds + " " + d.notification().reason());
            }
        }
    }

    private void at(long seconds, Alert active) {
        at(seconds, active, null);
    }

    @Test
    void announcedAfterGroupWait() {
        at(0, alert(AlertSeverity.WARNING));
        assertThat(sent).isEmpty();
        assertThat(state.get("deferral_spike/provider=yahoo").phase()).isEqualTo(Phase.PENDING);
        at(30, alert(AlertSeverity.WARNING));
        assertThat(sent).containsExactly("30 NEW");
        assertThat(state.get("deferral_spike/provider=yahoo").phase()).isEqualTo(Phase.FIRING);
    }

    @Test
    void aConditionThatClearsWithinGroupWaitIsNeverMentioned() {
        at(0, alert(AlertSeverity.CRITICAL));
        at(20, null);
        at(60, null);
        assertThat(sent).isEmpty();
        assertThat(state).isEmpty();
    }

    @Test
    void resolvedWaitsForGroupIntervalAndIsDroppedIfItFiresAgainFirst() {
        at(0, alert(AlertSeverity.WARNING));
        at(30, alert(AlertSeverity.WARNING));
        at(60, null);
        assertThat(sent).containsExactly("30 NEW");
        assertThat(state.get("deferral_spike/provider=yahoo").resolvedMessageOwed()).isTrue();
        at(90, alert(AlertSeverity.WARNING)); // back within group interval: nobody hears it went away
        at(400, null);
        assertThat(sent).containsExactly("30 NEW", "400 RESOLVED");
        at(500, null);
        assertThat(sent).hasSize(2);
        at(400 + 24 * 3600, null);
        assertThat(state).isEmpty();
    }

    @Test
    void escalationWaitsForGroupIntervalDeEscalationWaitsForRepeat() {
        at(0, alert(AlertSeverity.WARNING));
        at(30, alert(AlertSeverity.WARNING));
        at(60, alert(AlertSeverity.CRITICAL));
        assertThat(sent).containsExactly("30 NEW");
        at(330, alert(AlertSeverity.CRITICAL));
        assertThat(sent).containsExactly("30 NEW", "330 ESCALATED");
        at(700, alert(AlertSeverity.WARNING));
        assertThat(sent).hasSize(2);
        at(330 + 4 * 3600, alert(AlertSeverity.WARNING));
        assertThat(sent).containsExactly("30 NEW", "330 ESCALATED", (330 + 4 * 3600) + " REPEAT");
    }

    @Test
    void heldGroupsGetNoMessagesAndAnOwedResolvedWaitsForTheMute() {
        at(0, alert(AlertSeverity.WARNING), "blocklisted/list=spamhaus");
        at(60, alert(AlertSeverity.WARNING), "blocklisted/list=spamhaus");
        assertThat(sent).isEmpty();
        at(90, alert(AlertSeverity.WARNING)); // the blocklisting ended; active long enough already
        assertThat(sent).containsExactly("90 NEW");
        at(1000, null, "mute");
        at(2000, null, "mute");
        assertThat(sent).hasSize(1);
        at(3000, null);
        assertThat(sent).containsExactly("90 NEW", "3000 RESOLVED");
    }

    @Test
    void healthAlertsSkipGroupWait() {
        at(0, alert("notifier_paused", AlertSeverity.CRITICAL, true));
        assertThat(sent).containsExactly("0 NEW");
    }

    @Test
    void aNewEpisodeAfterAResolvedMessageStartsOver() {
        at(0, alert(AlertSeverity.WARNING));
        at(30, alert(AlertSeverity.WARNING));
        at(400, null);
        at(500, alert(AlertSeverity.WARNING));
        assertThat(state.get("deferral_spike/provider=yahoo").phase()).isEqualTo(Phase.PENDING);
        assertThat(state.get("deferral_spike/provider=yahoo").activeSince()).isEqualTo(T0.plusSeconds(500));
        at(530, alert(AlertSeverity.WARNING));
        assertThat(sent).containsExactly("30 NEW", "400 RESOLVED", "530 NEW");
        assertThat(state.get("deferral_spike/provider=yahoo").sentCount()).isEqualTo(1);
    }
}
