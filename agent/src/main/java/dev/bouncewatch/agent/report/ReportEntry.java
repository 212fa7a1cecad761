package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.model.DeliveryResult;
import java.util.List;
import java.util.Objects;

/**
 * One classified delivery result, the report's only input. The classifier's vocabulary is kept as
 * strings here so the report does not depend on the classifier's types; the CLI maps one to the other.
 *
 * @param result     the parsed delivery attempt
 * @param severity   permanent, transient or none
 * @param category   Sisimai-style reason name (userunknown, blocked, delivered ...)
 * @param action     what to do (suppress, retry, check-blocklist ...)
 * @param hardBounce whether the address itself is bad
 * @param signals    extra findings (greylisted, provider codes, blocklist names)
 * @param advice     one sentence a person can act on, may be empty
 */
public record ReportEntry(
        DeliveryResult result,
        String severity,
        String category,
        String action,
        boolean hardBounce,
        List<String> signals,
        String advice) {

    public ReportEntry {
        Objects.requireNonNull(result, "result");
        severity = Objects.requireNonNullElse(severity, "none");
        category = Objects.requireNonNullElse(category, "undefined");
        action = Objects.requireNonNullElse(action, "investigate");
        signals = signals == null ? List.of() : List.copyOf(signals);
        advice = Objects.requireNonNullElse(advice, "");
    }
}
