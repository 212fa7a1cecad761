package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.classify.Action;
import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.classify.Severity;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import java.time.Instant;
import java.util.List;

/** Builds stored results for tests: a recipient, an outcome, a time; the rest filled in plausibly. */
public final class Results {

    public static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private Results() {
    }

    public static StoredResult delivered(String recipient, Instant time) {
        return result(recipient, time, DeliveryStatus.DELIVERED, Category.DELIVERED, Severity.NONE, "2.0.0", 250,
                "250 2.0.0 Ok: queued as ABC");
    }

    public static StoredResult bounced(String recipient, Instant time, Category category, String dsn,
                                       String diagnostic) {
        return result(recipient, time, DeliveryStatus.BOUNCED, category, Severity.PERMANENT, dsn,
                Integer.parseInt(dsn.charAt(0) + "50"), diagnostic);
    }

    public static StoredResult deferred(String recipient, Instant time, Category category, String dsn,
                                        String diagnostic) {
        return result(recipient, time, DeliveryStatus.DEFERRED, category, Severity.TRANSIENT, dsn, 451, diagnostic);
    }

    public static StoredResult result(String recipient, Instant time, DeliveryStatus status, Category category,
                                      Severity severity, String dsn, Integer replyCode, String diagnostic) {
        DeliveryResult r = new DeliveryResult(time, "mail.example.org", Mta.POSTFIX, "4QX1B2C3D4", "<m1@example.org>",
                "news@example.org", recipient, null, "mx.example.com", "192.0.2.25", status, status.wireName(), dsn,
                replyCode, diagnostic, SmtpStage.RCPT, 1.5, 1);
        boolean hard = category.hard() && severity == Severity.PERMANENT;
        Action action = category.defaultAction(severity);
        Classification c = new Classification(severity, category.wireName(), hard, action,
                List.of("stage:rcpt", "provider:example"), "test." + category.wireName(), category.defaultAdvice());
        return new StoredResult(0, "file:/var/log/mail.log", time.plusSeconds(1), r, c);
    }
}
