package dev.bouncewatch.agent.report;

import java.util.HashSet;
import java.util.Set;

/** Mutable statistics of one reason group; the first example is kept in full. */
final class ReasonStats {

    /** Enough to tell "one domain" from "many": counting further would cost memory per group. */
    static final int DOMAINS_COUNTED = 20;

    String pattern;
    String example;
    String category;
    String action;
    String advice;
    long count;
    long bounced;
    private final Set<String> domains = new HashSet<>();

    void addDomain(String domain) {
        if (domains.size() < DOMAINS_COUNTED && !domain.isEmpty()) {
            domains.add(domain);
        }
    }

    long weight() {
        return count;
    }

    void mergeInto(ReasonStats target) {
        target.count += count;
        target.bounced += bounced;
    }

    Report.ReasonGroup toGroup() {
        return new Report.ReasonGroup(pattern, example, count, bounced, category, action, advice, domains.size());
    }
}
