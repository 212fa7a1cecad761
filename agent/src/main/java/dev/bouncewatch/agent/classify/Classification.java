package dev.bouncewatch.agent.classify;

import java.util.List;
import java.util.Objects;

/**
 * What a reply means and what to do about it.
 *
 * @param severity   permanent / transient / none, from the codes (or the text when there are none)
 * @param category   Sisimai reason name, lower case ({@code userunknown}, {@code blocked} ...)
 * @param hardBounce the address itself is bad: a hard category and a permanent reply
 * @param action     what to do
 * @param signals    extra facts: {@code greylisted}, {@code provider:google},
 *                   {@code provider-code:TSS04}, {@code blocklist:spamhaus}, {@code stage:rcpt}
 * @param ruleId     the rule that decided, for tracing and overriding
 * @param advice     one sentence a person can act on
 */
public record Classification(Severity severity, String category, boolean hardBounce, Action action,
                             List<String> signals, String ruleId, String advice) {

    public Classification {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(action, "action");
        signals = List.copyOf(signals);
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(advice, "advice");
    }

    /** True when the reply says the message did not get through (permanently or for now). */
    public boolean isBounce() {
        return severity != Severity.NONE;
    }
}
