package dev.bouncewatch.testmta.events;

import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.session.Stage;
import java.time.Instant;
import java.util.List;

/** Transaction events as the sink would report them, for tests. */
public final class Events {

    private Events() {
    }

    public static TransactionEvent rcpt(String session, String recipient, int code, String esc, String text,
            String rule) {
        return new TransactionEvent(Instant.parse("2026-11-29T04:00:00Z"), session, "127.0.0.1", "client.example.test",
                Stage.RCPT, "sender@example.test", recipient, List.of(), code, esc, List.of(text), rule, null, false);
    }

    public static TransactionEvent at(String session, Stage stage, int code) {
        return new TransactionEvent(Instant.parse("2026-11-29T04:00:00Z"), session, "127.0.0.1", "client.example.test",
                stage, null, null, List.of(), code, null, List.of("ok"), null, null, false);
    }
}
