package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import java.time.Instant;
import java.util.List;

/** Short ways to write one classified result in a test. */
final class Entries {

    static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    private Entries() {
    }

    static DeliveryResult result(String queueId, String rcpt, DeliveryStatus status, String relay, String text,
                                 Instant time) {
        return new DeliveryResult(time, "mail1", Mta.POSTFIX, queueId, null, "news@sender.example", rcpt, null, relay,
                null, status, status.wireName(), null, text == null ? null : parseCode(text), text, SmtpStage.RCPT,
                null, 1);
    }

    private static Integer parseCode(String text) {
        return text.length() >= 3 && text.substring(0, 3).chars().allMatch(Character::isDigit)
                ? Integer.valueOf(text.substring(0, 3)) : null;
    }

    static ReportEntry delivered(String queueId, String rcpt, Instant time) {
        return new ReportEntry(result(queueId, rcpt, DeliveryStatus.DELIVERED, "mx.example.org[192.0.2.25]:25",
                "250 2.0.0 OK", time), "none", "delivered", "none", false, List.of(), "");
    }

    static ReportEntry deferred(String queueId, String rcpt, String text, Instant time) {
        return new ReportEntry(result(queueId, rcpt, DeliveryStatus.DEFERRED, "mx.example.org[192.0.2.25]:25", text,
                time), "transient", "blocked", "retry", false, List.of("greylisted"), "Retry later.");
    }

    static ReportEntry bounced(String queueId, String rcpt, String text, String category, String action,
                               boolean hard, Instant time) {
        return new ReportEntry(result(queueId, rcpt, DeliveryStatus.BOUNCED, "mx.example.org[192.0.2.25]:25", text,
                time), "permanent", category, action, hard, List.of(), "Remove the address.");
    }

    static ReportEntry userUnknown(String queueId, String rcpt, Instant time) {
        return bounced(queueId, rcpt, "550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown",
                "userunknown", "suppress", true, time);
    }

    static ReportEntry expired(String queueId, String rcpt, String text, Instant time) {
        return new ReportEntry(result(queueId, rcpt, DeliveryStatus.EXPIRED, "mx.example.org[192.0.2.25]:25", text,
                time), "permanent", "expired", "investigate", false, List.of(), "Gave up.");
    }
}
