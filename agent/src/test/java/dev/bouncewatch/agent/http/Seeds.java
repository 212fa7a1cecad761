package dev.bouncewatch.agent.http;

import dev.bouncewatch.agent.classify.Classifier;
import dev.bouncewatch.agent.classify.ClassifierInput;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import dev.bouncewatch.agent.store.StoredResult;
import java.time.Instant;

/** Delivery results as Postfix logs them, classified by the real classifier, ready for Store.write. */
final class Seeds {

    static final String SOURCE = "file:/var/log/mail.log";
    private static final Classifier CLASSIFIER = Classifier.load();

    private Seeds() {
    }

    static StoredResult delivered(String recipient, Instant time) {
        return result(recipient, time, DeliveryStatus.DELIVERED, "sent", "2.0.0", 250,
                "250 2.0.0 Ok: queued as 4QX1B2C3D4", SmtpStage.DATA_END);
    }

    /** A permanent failure; the codes are read from the reply text. */
    static StoredResult bounced(String recipient, Instant time, String reply) {
        return result(recipient, time, DeliveryStatus.BOUNCED, "bounced", dsn(reply), code(reply), reply, SmtpStage.RCPT);
    }

    static StoredResult deferred(String recipient, Instant time, String reply) {
        return result(recipient, time, DeliveryStatus.DEFERRED, "deferred", dsn(reply), code(reply), reply, SmtpStage.RCPT);
    }

    static StoredResult expired(String recipient, Instant time, String reply) {
        return result(recipient, time, DeliveryStatus.EXPIRED, "expired", dsn(reply), code(reply), reply, SmtpStage.NONE);
    }

    static StoredResult result(String recipient, Instant time, DeliveryStatus status, String mtaStatus, String dsn,
                               Integer replyCode, String diagnostic, SmtpStage stage) {
        String domain = recipient.substring(recipient.lastIndexOf('@') + 1);
        DeliveryResult r = new DeliveryResult(time, "mail.example.org", Mta.POSTFIX, "4QX1B2C3D4",
                "<20261129.1@example.org>", "news@example.org", recipient, null, "mx1." + domain, "192.0.2.25", status,
                mtaStatus, dsn, replyCode, diagnostic, stage, 1.2, 1);
        return new StoredResult(0, SOURCE, time.plusMillis(300), r, CLASSIFIER.classify(ClassifierInput.of(r)));
    }

    private static Integer code(String reply) {
        return Integer.valueOf(reply.substring(0, 3));
    }

    private static String dsn(String reply) {
        String[] words = reply.split(" ");
        return words.length > 1 && words[1].matches("[245]\\.\\d{1,3}\\.\\d{1,3}") ? words[1] : null;
    }
}
