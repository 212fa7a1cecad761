package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.classify.Classifier;
import dev.bouncewatch.agent.classify.ClassifierInput;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoredResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Delivery results as a Postfix host would log them, classified by the real classifier. */
final class Traffic {

    static final String SPAMHAUS = "554 5.7.1 Service unavailable; Client host [203.0.113.10] blocked using zen.spamhaus.org;"
            + " https://www.spamhaus.org/query/ip/203.0.113.10";
    static final String GMAIL_UNKNOWN = "550-5.1.1 The email account that you tried to reach does not exist. Please try"
            + " double-checking the recipient's email address for typos or unnecessary spaces. gsmtp";
    static final String GMAIL_AUTH = "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail"
            + " requires all senders to authenticate with either SPF or DKIM. gsmtp";
    static final String YAHOO_TSS04 = "421 4.7.0 [TSS04] Messages from 203.0.113.10 temporarily deferred due to unexpected"
            + " volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes";
    static final String MS_REPUTATION = "451 4.7.650 The mail server [203.0.113.10] has been temporarily rate limited due to"
            + " IP reputation.";
    static final String OK = "250 2.0.0 Ok: queued as 4XyZ1";

    static final String MICROSOFT_MX = "example-com.mail.protection.outlook.com[52.101.0.1]:25";
    static final String GMAIL_MX = "gmail-smtp-in.l.google.com[142.250.27.26]:25";
    static final String YAHOO_MX = "mta5.am0.yahoodns.net[67.195.204.72]:25";

    private static final Classifier CLASSIFIER = Classifier.load();

    private final List<StoredResult> results = new ArrayList<>();

    static StoredResult result(Instant time, String sender, String recipient, String relay, String reply) {
        ClassifierInput in = ClassifierInput.fromReply(reply, SmtpStage.RCPT, ProviderDirectory.hostOf(relay));
        int code = in.replyCode();
        DeliveryStatus status = code < 300 ? DeliveryStatus.DELIVERED : code < 500 ? DeliveryStatus.DEFERRED : DeliveryStatus.BOUNCED;
        DeliveryResult r = new DeliveryResult(time, "mx1.example.net", Mta.POSTFIX, "4XyZ" + Math.abs(recipient.hashCode() % 9999),
                null, sender, recipient, null, relay, null, status, status.wireName(), in.enhancedCode(), code, reply,
                SmtpStage.RCPT, 1.0, 1);
        Classification c = CLASSIFIER.classify(ClassifierInput.of(r));
        return new StoredResult(0, "file:/var/log/mail.log", time, r, c);
    }

    /** {@code count} results spread evenly over [from, from + seconds). */
    Traffic add(int count, Instant from, int seconds, String sender, String domain, String relay, String reply) {
        for (int i = 0; i < count; i++) {
            Instant t = from.plusMillis((long) i * seconds * 1000 / Math.max(1, count));
            results.add(result(t, sender, "user" + results.size() + "@" + domain, relay, reply));
        }
        return this;
    }

    void insertInto(Store store) throws StoreException {
        store.write(tx -> {
            for (StoredResult r : results) {
                tx.insertResult(r);
            }
            return null;
        });
        results.clear();
    }
}
