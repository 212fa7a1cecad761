package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.notify.AlertSeverity;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A condition a rule found true right now, with what a person needs to act on it. Our own words
 * (title, summary, facts, advice) never contain remote text; the scope value, the reply samples and
 * the domains may, and renderers treat them as untrusted.
 *
 * @param health    about the agent itself: sent as {@code agent.health}, without group wait
 * @param metrics   the numbers behind it, for machines (webhook consumers)
 * @param explains  scopes whose alerts this one explains (a blocklisting explains the bounce rate and
 *                  deferrals it causes): those are held back while this one is active
 */
public record Alert(String rule, Scope scope, String title, AlertSeverity severity, boolean health, String summary,
                    List<Fact> facts, Map<String, Object> metrics, String action, String advice, List<Reason> topReasons,
                    long moreReasons, List<DomainCount> topDomains, long moreDomains, Set<String> explains) {

    /** A labelled number for the message ("Bounced": "76 / 1,240 (6.1%)"). */
    public record Fact(String label, String value) {
    }

    /**
     * One kind of reply and how often it came.
     *
     * @param sample the newest reply text of this kind: untrusted
     */
    public record Reason(String category, String dsn, Integer replyCode, String action, long count, String sample,
                         String advice) {
    }

    public record DomainCount(String domain, long count) {
    }

    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(severity, "severity");
        facts = List.copyOf(facts);
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        topReasons = List.copyOf(topReasons);
        topDomains = List.copyOf(topDomains);
        explains = Set.copyOf(explains);
    }

    public String groupKey() {
        return groupKey(rule, scope);
    }

    public static String groupKey(String rule, Scope scope) {
        return rule + "/" + scope;
    }
}
