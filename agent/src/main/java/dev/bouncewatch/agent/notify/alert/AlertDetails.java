package dev.bouncewatch.agent.notify.alert;

import java.util.List;

/** Shared pieces of alert details: how many items a list keeps, and advice from the top reply. */
final class AlertDetails {

    /** Top replies and top domains kept per alert. */
    static final int MAX_ITEMS = 5;

    record Advice(String action, String text) {
    }

    private AlertDetails() {
    }

    /**
     * The action and advice of the most frequent reply (the classifier's, so specific to the
     * provider when a provider rule matched), or the given default when there is none.
     */
    static Advice advice(List<Alert.Reason> reasons, String defaultAction, String defaultAdvice) {
        if (!reasons.isEmpty()) {
            Alert.Reason top = reasons.get(0);
            if (top.action() != null && top.advice() != null && !top.advice().isBlank()) {
                return new Advice(top.action(), "Most replies are " + top.category() + ": " + top.advice());
            }
        }
        return new Advice(defaultAction, defaultAdvice);
    }
}
