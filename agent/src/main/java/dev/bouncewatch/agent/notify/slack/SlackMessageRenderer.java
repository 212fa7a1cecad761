package dev.bouncewatch.agent.notify.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.agent.notify.DisplayFormat;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.NotificationEvent;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns alert, health, digest and test events into Slack Block Kit messages with a plain
 * {@code text} fallback (layout: research/notifications.md 7.2 and 7.3). Everything that came
 * from a remote server or from a recipient address (replies, domains, host names, scope values) is
 * escaped and code-quoted by {@link SlackText}; our own words are escaped too, as a second fence.
 * Reads the event data leniently: a missing field is left out, never an error.
 */
public final class SlackMessageRenderer {

    static final int MAX_REPLIES = 5;
    static final int MAX_DOMAINS = 5;
    static final int MAX_SAMPLE_CHARS = 160;
    static final int MAX_NAME_CHARS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZoneId zone;

    /** @param zone the time zone for times shown in messages */
    public SlackMessageRenderer(ZoneId zone) {
        // a bare offset prints as "Z"; people read "UTC"
        this.zone = zone.normalized().equals(ZoneOffset.UTC) ? ZoneId.of("UTC") : zone;
    }

    /** The message as JSON text, ready to POST. */
    public String render(NotificationEvent event) {
        try {
            return JSON.writeValueAsString(message(event).build());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    BlockKitMessage message(NotificationEvent event) {
        EventType type;
        try {
            type = EventType.fromWireName(event.type());
        } catch (IllegalArgumentException e) {
            return generic(event);
        }
        return switch (type) {
            case ALERT_FIRING, ALERT_RESOLVED -> alert(event, false);
            case AGENT_HEALTH -> alert(event, true);
            case REPORT_DIGEST -> digest(event);
            case WEBHOOK_TEST -> test(event);
            default -> generic(event);
        };
    }

    // --- alerts and agent health ------------------------------------------------------------

    private BlockKitMessage alert(NotificationEvent event, boolean health) {
        JsonNode data = event.data();
        JsonNode alerts = data.path("alerts");
        JsonNode a = alerts.path(0);
        boolean resolved = "resolved".equals(text(data, "status")) || "resolved".equals(text(a, "status"));
        String severity = text(a, "severity");
        String title = orElse(text(a, "title"), orElse(text(a, "rule"), health ? "Agent health" : "Alert"));
        String scopeValue = text(a.path("scope"), "value");
        String scopeKey = text(a.path("scope"), "key");
        Instant startsAt = instant(a, "startsAt");
        Instant endsAt = instant(a, "endsAt");

        String state;
        if (resolved) {
            String after = startsAt != null && endsAt != null ? " after " + DisplayFormat.duration(Duration.between(startsAt, endsAt)) : "";
            state = (health ? "✅ HEALTHY again" : "✅ RESOLVED") + after;
        } else {
            String icon = health ? "🚨" : "critical".equals(severity) ? "🔴" : "🟠";
            state = icon + " " + (health ? "AGENT HEALTH" : "FIRING");
        }
        String header = state + " · " + title + (scopeValue.isEmpty() ? "" : " · " + scopeValue);

        String summary = text(a, "summary");
        String name = SlackText.plain(title, MAX_NAME_CHARS) + (scopeValue.isEmpty() ? "" : " " + SlackText.code(scopeValue, MAX_NAME_CHARS));
        String fallback;
        if (resolved) {
            fallback = "RESOLVED " + name + (startsAt != null && endsAt != null
                    ? " after " + DisplayFormat.duration(Duration.between(startsAt, endsAt)) : "");
        } else {
            fallback = "FIRING" + (severity.isEmpty() ? "" : " [" + severity + "]") + " " + name
                    + (summary.isEmpty() ? "" : ": " + SlackText.plain(summary, 240));
        }

        BlockKitMessage m = new BlockKitMessage().fallback(fallback).header(header);
        if (!summary.isEmpty()) {
            // a resolved message repeats the last numbers seen while it fired, and says so
            m.section((resolved ? "_Last seen while firing:_ " : "") + SlackText.plain(summary, 600));
        }

        List<String> fields = new ArrayList<>();
        if (!severity.isEmpty() && !resolved) {
            fields.add(field("Severity", SlackText.plain(capitalise(severity), 20)));
        }
        if (!scopeValue.isEmpty()) {
            fields.add(field(scopeLabel(scopeKey), SlackText.code(scopeValue, MAX_NAME_CHARS)));
        }
        for (JsonNode f : a.path("facts")) {
            fields.add(field(text(f, "label"), SlackText.plain(text(f, "value"), 200)));
        }
        if (startsAt != null) {
            fields.add(field(resolved ? "Fired" : "Since", DisplayFormat.time(startsAt, zone)));
        }
        if (resolved && endsAt != null) {
            fields.add(field("Resolved", DisplayFormat.time(endsAt, zone)));
        }
        m.fields(fields);

        if (!resolved) {
            String action = text(a, "action");
            String advice = text(a, "advice");
            if (!action.isEmpty() || !advice.isEmpty()) {
                String actionLine = action.isEmpty() ? "" : "*Action:* " + SlackText.plain(actionName(action), 60);
                m.section(actionLine + (advice.isEmpty() ? "" : (actionLine.isEmpty() ? "" : "\n") + SlackText.plain(advice, 600)));
            }
            m.list("*Top replies*", replyLines(a.path("topReasons")), MAX_REPLIES, a.path("moreReasons").asLong(0));
            m.list("*Top domains*", domainLines(a.path("topDomains")), MAX_DOMAINS, a.path("moreDomains").asLong(0));
            List<String> explains = new ArrayList<>();
            for (JsonNode e : a.path("explains")) {
                explains.add("• " + SlackText.code(e.asText(), MAX_NAME_CHARS));
            }
            m.list("*Explains (their alerts are held back)*", explains, MAX_DOMAINS, 0);
        }
        if (alerts.size() > 1) {
            m.context(List.of("_+" + (alerts.size() - 1) + " more alerts in this group_"));
        }

        List<String> context = new ArrayList<>();
        context.add(SlackText.code(event.source(), MAX_NAME_CHARS));
        String rule = text(a, "rule");
        if (!rule.isEmpty()) {
            context.add("rule " + SlackText.code(rule, MAX_NAME_CHARS));
        }
        if (!resolved && !rule.isEmpty()) {
            String scopeArg = scopeKey.isEmpty() || "all".equals(scopeKey) ? "" : " --scope " + scopeKey + "=" + scopeValue;
            context.add("mute: " + SlackText.code("bouncewatch alerts mute " + rule + scopeArg + " --for 2h", 300));
        }
        m.context(List.of(String.join(" · ", context)));
        return m;
    }

    private static List<String> replyLines(JsonNode reasons) {
        List<String> lines = new ArrayList<>();
        for (JsonNode r : reasons) {
            String codes = (text(r, "smtpCode") + " " + text(r, "status")).trim();
            String category = text(r, "category");
            String sample = text(r, "sample");
            StringBuilder line = new StringBuilder("• ");
            line.append(codes.isEmpty() ? "`-`" : SlackText.code(codes, 30));
            line.append(" ×").append(DisplayFormat.count(r.path("count").asLong()));
            if (!category.isEmpty()) {
                line.append(" _").append(SlackText.plain(category, 40)).append('_');
            }
            if (!sample.isEmpty()) {
                line.append(": ").append(SlackText.code(sample, MAX_SAMPLE_CHARS));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private static List<String> domainLines(JsonNode domains) {
        List<String> lines = new ArrayList<>();
        for (JsonNode d : domains) {
            lines.add("• " + SlackText.code(text(d, "domain"), MAX_NAME_CHARS) + " " + DisplayFormat.count(d.path("count").asLong()));
        }
        return lines;
    }

    // --- daily digest ------------------------------------------------------------------------

    private BlockKitMessage digest(NotificationEvent event) {
        JsonNode d = event.data();
        JsonNode period = d.path("period");
        String label = orElse(text(period, "label"), "");
        long total = d.path("total").asLong();
        JsonNode byStatus = d.path("byStatus");
        long delivered = byStatus.path("delivered").asLong();
        long deferred = byStatus.path("deferred").asLong();
        long bounced = byStatus.path("bounced").asLong();
        long expired = byStatus.path("expired").asLong();
        double bounceRate = d.path("bounceRate").asDouble();

        String header = "📊 Daily mail report" + (label.isEmpty() ? "" : " · " + label) + " · " + event.source();
        String fallback = "Daily mail report " + SlackText.plain(label, 40) + ": " + DisplayFormat.count(total) + " results, "
                + DisplayFormat.count(delivered) + " delivered, " + DisplayFormat.count(bounced + expired) + " bounced ("
                + DisplayFormat.percent(bounceRate) + "), " + DisplayFormat.count(deferred) + " deferred";
        BlockKitMessage m = new BlockKitMessage().fallback(fallback).header(header);

        List<String> fields = new ArrayList<>();
        fields.add(field("Results", DisplayFormat.count(total)));
        fields.add(field("Delivered", DisplayFormat.count(delivered) + (total > 0 ? " (" + DisplayFormat.percent((double) delivered / total) + ")" : "")));
        fields.add(field("Bounced", DisplayFormat.count(bounced) + (expired > 0 ? " + " + DisplayFormat.count(expired) + " expired" : "")));
        fields.add(field("Bounce rate", DisplayFormat.percent(bounceRate)));
        fields.add(field("Deferred", DisplayFormat.count(deferred)));
        fields.add(field("New suppressions", DisplayFormat.count(d.path("newSuppressions").asLong())
                + " (" + DisplayFormat.count(d.path("suppressionsTotal").asLong()) + " in total)"));
        JsonNode alerts = d.path("alerts");
        if (!alerts.isMissingNode()) {
            fields.add(field("Alerts", DisplayFormat.count(alerts.path("fired").asLong()) + " fired, "
                    + DisplayFormat.count(alerts.path("resolved").asLong()) + " resolved, "
                    + DisplayFormat.count(alerts.path("active").asLong()) + " active"));
        }
        m.fields(fields);

        List<String> reasons = replyLines(d.path("topReasons"));
        m.list("*Top reasons*", reasons, MAX_REPLIES, d.path("moreReasons").asLong(0));

        List<String> domains = new ArrayList<>();
        for (JsonNode dom : d.path("topDomains")) {
            long t = dom.path("total").asLong();
            long b = dom.path("bounced").asLong();
            domains.add("• " + SlackText.code(text(dom, "domain"), MAX_NAME_CHARS) + " " + DisplayFormat.count(t)
                    + " results · " + DisplayFormat.count(b) + " bounced (" + DisplayFormat.percent(t == 0 ? 0 : (double) b / t)
                    + ") · " + DisplayFormat.count(dom.path("deferred").asLong()) + " deferred");
        }
        m.list("*Top domains*", domains, MAX_DOMAINS, d.path("moreDomains").asLong(0));

        Instant since = instant(period, "since");
        Instant until = instant(period, "until");
        List<String> context = new ArrayList<>();
        context.add(SlackText.code(event.source(), MAX_NAME_CHARS));
        if (since != null && until != null) {
            context.add(DisplayFormat.dateTime(since, zone) + " to " + DisplayFormat.dateTime(until, zone));
        }
        m.context(List.of(String.join(" · ", context)));
        return m;
    }

    // --- test and anything else ----------------------------------------------------------------

    private BlockKitMessage test(NotificationEvent event) {
        String message = text(event.data(), "message");
        String fallback = "bouncewatch test message from " + SlackText.code(event.source(), MAX_NAME_CHARS);
        BlockKitMessage m = new BlockKitMessage().fallback(fallback).header("🔔 bouncewatch test message");
        m.section("This Slack destination works: sent by " + SlackText.code(event.source(), MAX_NAME_CHARS) + " at "
                + DisplayFormat.dateTime(event.timestamp(), zone) + "."
                + (message.isEmpty() ? "" : "\n" + SlackText.plain(message, 500)));
        m.context(List.of("event " + SlackText.code(event.id(), MAX_NAME_CHARS)));
        return m;
    }

    private BlockKitMessage generic(NotificationEvent event) {
        String fallback = "bouncewatch event " + SlackText.code(event.type(), 60) + " from " + SlackText.code(event.source(), MAX_NAME_CHARS);
        return new BlockKitMessage().fallback(fallback).header("bouncewatch · " + event.type()).section(fallback);
    }

    // --- helpers -------------------------------------------------------------------------------

    private static String field(String label, String valueMrkdwn) {
        return "*" + SlackText.plain(label, 60) + "*\n" + valueMrkdwn;
    }

    static String scopeLabel(String key) {
        return switch (key) {
            case "sender_domain" -> "Sender domain";
            case "provider" -> "Provider";
            case "domain" -> "Recipient domain";
            case "list" -> "Blocklist";
            case "source" -> "Source";
            case "destination" -> "Destination";
            case "" -> "Scope";
            default -> capitalise(key.replace('_', ' '));
        };
    }

    /** check-blocklist becomes "Check blocklist". */
    static String actionName(String wire) {
        return capitalise(wire.replace('-', ' '));
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    private static String orElse(String s, String fallback) {
        return s.isEmpty() ? fallback : s;
    }

    private static Instant instant(JsonNode node, String field) {
        String s = text(node, field);
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
