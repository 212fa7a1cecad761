package dev.bouncewatch.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one start-up log line that says what the agent will do: sources, API, state directory,
 * retention, suppression and notification destinations. Secrets appear only as their origin
 * ({@code env:NAME}, {@code file:PATH}); control characters in paths are escaped so the line
 * stays one line.
 */
final class ConfigSummary {

    private ConfigSummary() {
    }

    static String of(AgentConfig c) {
        List<String> parts = new ArrayList<>();
        parts.add("config " + c.origin());
        parts.add("sources " + c.sources().stream().map(ConfigSummary::source).collect(Collectors.joining(", ")));
        parts.add(http(c.http()));
        parts.add("state " + c.stateDir());
        RetentionConfig r = c.retention();
        parts.add("retention " + ConfigValues.formatDuration(r.results()) + " (delivered " + ConfigValues.formatDuration(r.delivered())
                + "), max " + ConfigValues.formatSize(r.maxDatabase()) + ", pruned every " + ConfigValues.formatDuration(r.pruneInterval()));
        parts.add(suppression(c.suppression()));
        if (!c.ruleFiles().isEmpty()) {
            parts.add("extra rules " + c.ruleFiles().stream().map(Object::toString).collect(Collectors.joining(", ")));
        }
        List<String> destinations = c.notifications().destinationNames();
        parts.add("notify " + (destinations.isEmpty() ? "nowhere" : String.join(", ", destinations)));
        return oneLine(String.join("; ", parts));
    }

    private static String source(SourceConfig source) {
        if (source instanceof SourceConfig.File f) {
            return "file " + f.path() + " (" + f.format().name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        if (source instanceof SourceConfig.Journal j) {
            List<String> matches = new ArrayList<>(j.units());
            matches.addAll(j.identifiers());
            return "journal" + (j.directory() == null ? "" : " in " + j.directory()) + " (" + String.join(" ", matches) + ")";
        }
        if (source instanceof SourceConfig.Sink s) {
            return "sink " + ConfigValues.formatHostPort(s.listen()) + " ("
                    + (s.scenario() == null ? "built-in scenario" : "scenario " + s.scenario()) + ")";
        }
        return "auto";
    }

    private static String http(HttpConfig h) {
        if (!h.enabled()) {
            return "http off";
        }
        return "http " + ConfigValues.formatHostPort(h.listen()) + (h.token() == null ? " without token"
                : " token from " + h.token().origin());
    }

    private static String suppression(SuppressionConfig s) {
        if (!s.enabled()) {
            return "suppression off";
        }
        // group categories with the same rule: "userunknown/hostunknown at first, mailboxfull 3 in 14d"
        Map<SuppressionConfig.Rule, List<String>> byRule = new LinkedHashMap<>();
        s.rules().forEach((category, rule) -> byRule.computeIfAbsent(rule, k -> new ArrayList<>()).add(category));
        List<String> rules = new ArrayList<>();
        byRule.forEach((rule, categories) -> rules.add(String.join("/", categories) + (rule.failures() == 1 ? " at first"
                : " " + rule.failures() + " in " + ConfigValues.formatDuration(rule.window()))));
        return "suppression " + (rules.isEmpty() ? "without rules" : String.join(", ", rules))
                + (s.never().isEmpty() ? "" : " (never for " + s.never().size() + " categories)");
    }

    /** Escapes control characters (a path may hold a newline) so the summary is one log line. */
    static String oneLine(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
