package dev.bouncewatch.agent.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.notify.event.EventJson;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScratchPrintTest {
    @Test
    void print() throws Exception {
        EventFactory f = new EventFactory("mx1.example.net", Clock.fixed(Instant.parse("2026-11-28T15:00:00Z"), ZoneOffset.UTC));
        ObjectMapper m = new ObjectMapper();
        var r = Results.gmailUserUnknown(1042, "jane@gmail.com");
        for (NotificationEvent e : new NotificationEvent[] {f.fromResult(r, Results.suppressionFor(r)), f.fromResult(Results.outlookDeferred(1043, "bob@outlook.com"), null),
            f.fromSuppression(Results.suppressionFor(r)), f.webhookTest("ops-webhook"), f.fromResult(Results.delivered(1044, "c@example.org"), null)}) {
            System.err.println("PRINT " + m.writerWithDefaultPrettyPrinter().writeValueAsString(m.readTree(EventJson.write(e))));
            System.err.println("CONSOLE " + new dev.bouncewatch.agent.notify.console.ConsoleDestination().render(e));
        }
    }
}
