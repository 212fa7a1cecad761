package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.store.StoredResult;
import java.time.Instant;

/** {@link Traffic} for tests in other packages. */
public final class TrafficAccess {

    private TrafficAccess() {
    }

    public static StoredResult result(Instant time, String recipient, String reply) {
        String relay = recipient.endsWith("@gmail.com") ? Traffic.GMAIL_MX : "mx.example.com[192.0.2.25]:25";
        return Traffic.result(time, "news@example.com", recipient, relay, reply);
    }
}
