package dev.bouncewatch.agent.notify.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.EventFilter;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.RemoteText;
import dev.bouncewatch.agent.notify.event.EventJson;
import dev.bouncewatch.agent.store.OutboxEntry;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-config destination: one readable line per event in the agent's log, saying what a
 * webhook or Slack would have been told. Remote text is quoted with its control characters made
 * visible, so a reply cannot forge log lines.
 */
public final class ConsoleDestination implements Destination {

    public static final String NAME = "console";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleDestination.class);
    private static final int MAX_QUOTED = 200;
    private static final int MAX_LINE = 1000;

    private final EventFilter filter;
    private final Consumer<String> out;

    /** Logs at INFO through logback (the agent's stderr or the journal). */
    public ConsoleDestination() {
        this(EventFilter.defaults(), LOG::info);
    }

    public ConsoleDestination(EventFilter filter, Consumer<String> out) {
        this.filter = filter;
        this.out = out;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String kind() {
        return "console";
    }

    @Override
    public boolean accepts(NotificationEvent event) {
        return filter.accepts(event);
    }

    @Override
    public boolean mayAccept(EventType type) {
        return filter.types().contains(type);
    }

    /** The line itself is what the outbox keeps: a later look at the outbox shows what was said. */
    @Override
    public String render(NotificationEvent event) {
        return RemoteText.bounded(summary(event), MAX_LINE);
    }

    @Override
    public DeliveryOutcome send(OutboxEntry entry) {
        out.accept(entry.payload());
        return DeliveryOutcome.delivered("logged");
    }

    /** One line: type, time, and the facts a person needs first. */
    public static String summary(NotificationEvent event) {
        JsonNode d = event.data();
        StringBuilder sb = new StringBuilder(160);
        sb.append(event.type()).append(' ').append(EventJson.timestamp(event.timestamp()));
        switch (event.type()) {
            case "message.bounced", "message.deferred", "message.delivered" -> message(sb, d);
            case "recipient.suppressed" -> suppressed(sb, d);
            case "webhook.test" -> sb.append(' ').append(quoted(d.path("message").asText("")));
            default -> other(sb, event);
        }
        return sb.toString();
    }

    private static void message(StringBuilder sb, JsonNode d) {
        JsonNode r = d.path("recipient");
        JsonNode m = d.path("mail");
        JsonNode b = d.has("bounce") ? d.path("bounce") : d.path("delivery");
        sb.append(' ').append(quoted(r.path("emailAddress").asText("(no recipient)")));
        if (d.has("bounce")) {
            sb.append(' ').append(b.path("severity").asText()).append(' ').append(b.path("category").asText());
        }
        appendIf(sb, " ", b.path("status"));
        appendIf(sb, " ", b.path("smtpCode"));
        if (b.hasNonNull("remoteMta")) {
            sb.append(" from ").append(quoted(b.path("remoteMta").asText()));
        }
        String reply = b.has("diagnosticCode") ? b.path("diagnosticCode").asText() : b.path("smtpResponse").asText("");
        if (!reply.isEmpty()) {
            sb.append(": ").append(quoted(reply));
        }
        if (b.hasNonNull("action") && !"none".equals(b.path("action").asText())) {
            sb.append(" -> ").append(b.path("action").asText());
        }
        if (m.hasNonNull("queueId")) {
            sb.append(" (queue ").append(quoted(m.path("queueId").asText())).append(')');
        }
        if (d.path("suppression").path("added").asBoolean(false)) {
            sb.append(" [suppressed]");
        }
    }

    private static void suppressed(StringBuilder sb, JsonNode d) {
        JsonNode s = d.path("suppression");
        sb.append(' ').append(quoted(d.path("recipient").path("emailAddress").asText(""))).append(" added to the suppression list");
        if (s.hasNonNull("reason")) {
            sb.append(": ").append(quoted(s.path("reason").asText()));
        }
    }

    /** Events built elsewhere (alerts, digests, health): their group and their own summary when they carry one. */
    private static void other(StringBuilder sb, NotificationEvent event) {
        JsonNode d = event.data();
        if (event.groupKey() != null) {
            sb.append(' ').append(quoted(event.groupKey()));
        }
        for (String field : new String[] {"summary", "title", "detail", "message"}) {
            if (d.path(field).isTextual()) {
                sb.append(": ").append(quoted(d.path(field).asText()));
                return;
            }
        }
        sb.append(' ').append(quoted(d.toString()));
    }

    private static void appendIf(StringBuilder sb, String sep, JsonNode v) {
        if (!v.isMissingNode() && !v.isNull()) {
            sb.append(sep).append(RemoteText.escapeControls(v.asText()));
        }
    }

    /** Remote text in double quotes, bounded, control characters and quotes escaped. */
    static String quoted(String s) {
        String escaped = RemoteText.escapeControls(RemoteText.bounded(s, MAX_QUOTED)).replace("\"", "\\\"");
        return '"' + escaped + '"';
    }
}
