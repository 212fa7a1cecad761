package dev.bouncewatch.agent.classify;

import java.util.List;

/**
 * One classification rule: when its conditions hold, the reply gets its category. Action, advice
 * and signals default to the category's; {@code uncodedSeverity} is used only when the input has
 * neither a reply code nor an enhanced code.
 *
 * @param origin file and line the rule came from, for error messages and tracing
 */
record Rule(String id, RuleConditions when, Category category, Action action, Severity uncodedSeverity,
            List<String> signals, String advice, String origin) {
}
