package dev.bouncewatch.agent.notify;

import dev.bouncewatch.agent.classify.Action;
import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.classify.Severity;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.time.Instant;
import java.util.List;

/** Stored results as the pipeline hands them to the notifier: real replies from real receivers. */
public final class Results {

    public static final Instant T0 = Instant.parse("2026-11-28T14:03:12.481Z");

    private Results() {
    }

    /** Gmail's 550 5.1.1 for an address that does not exist: a hard bounce. */
    public static StoredResult gmailUserUnknown(long id, String recipient) {
        DeliveryResult r = new DeliveryResult(T0, "mx1.example.net", Mta.POSTFIX, "4XyZ1abcD",
                "<20261128140311.4F2A1@example.com>", "bounces@example.com", recipient, null,
                "gmail-smtp-in.l.google.com", "142.250.27.26", DeliveryStatus.BOUNCED, "bounced", "5.1.1", 550,
                "host gmail-smtp-in.l.google.com[142.250.27.26] said: 550-5.1.1 The email account that you tried to reach does not exist. "
                        + "Please try double-checking the recipient's email address for typos or unnecessary spaces. "
                        + "https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-5d3f0a1c0bdsi123456a.1 - gsmtp (in reply to RCPT TO command)",
                SmtpStage.RCPT, 1.2, 1);
        Classification c = new Classification(Severity.PERMANENT, "userunknown", true, Action.SUPPRESS,
                List.of("provider:google", "stage:rcpt"), "gmail-nosuchuser",
                "The address does not exist at the destination; remove it from your lists.");
        return new StoredResult(id, "file:/var/log/mail.log", T0.plusMillis(40), r, c);
    }

    /** Microsoft's 451 4.7.650 IP reputation deferral. */
    public static StoredResult outlookDeferred(long id, String recipient) {
        DeliveryResult r = new DeliveryResult(T0.plusSeconds(60), "mx1.example.net", Mta.POSTFIX, "4XyZ2efgH", null,
                "news@example.com", recipient, null, "outlook-com.olc.protection.outlook.com", "52.101.8.36",
                DeliveryStatus.DEFERRED, "deferred", "4.7.650", 451,
                "451 4.7.650 The mail server [203.0.113.10] has been temporarily rate limited due to IP reputation. "
                        + "For e-mail delivery information, see https://aka.ms/postmaster (S775)",
                SmtpStage.RCPT, 2400.0, 3);
        Classification c = new Classification(Severity.TRANSIENT, "badreputation", false, Action.CHECK_REPUTATION,
                List.of("provider:microsoft"), "microsoft-ip-reputation",
                "The destination distrusts our IP or domain reputation; lower volume, check complaint rates and the provider's postmaster tools.");
        return new StoredResult(id, "file:/var/log/mail.log", T0.plusSeconds(61), r, c);
    }

    /** A Spamhaus listing named in a 554 at connect. */
    public static StoredResult spamhausBlocked(long id, String recipient) {
        DeliveryResult r = new DeliveryResult(T0.plusSeconds(120), "mx1.example.net", Mta.POSTFIX, "4XyZ3", null,
                "news@example.com", recipient, null, "mx.example.org", "198.51.100.7", DeliveryStatus.BOUNCED, "bounced",
                "5.7.1", 554, "554 5.7.1 Service unavailable; Client host [203.0.113.10] blocked using zen.spamhaus.org; "
                        + "https://www.spamhaus.org/query/ip/203.0.113.10",
                SmtpStage.CONNECT, 0.4, 1);
        Classification c = new Classification(Severity.PERMANENT, "blocked", false, Action.CHECK_BLOCKLIST,
                List.of("blocklist:spamhaus"), "dnsbl-spamhaus",
                "The destination refused our sending IP or host; check the blocklists it names, fix the cause and request delisting.");
        return new StoredResult(id, "file:/var/log/mail.log", T0.plusSeconds(121), r, c);
    }

    public static StoredResult delivered(long id, String recipient) {
        DeliveryResult r = new DeliveryResult(T0.plusSeconds(5), "mx1.example.net", Mta.POSTFIX, "4XyZ4", null,
                "news@example.com", recipient, null, "mx.example.org", "198.51.100.7", DeliveryStatus.DELIVERED, "sent",
                "2.0.0", 250, "250 2.0.0 Ok: queued as 4Ztq5K0Xz7z9rxM", SmtpStage.DATA_END, 0.9, 1);
        Classification c = new Classification(Severity.NONE, "delivered", false, Action.NONE, List.of(), "delivered",
                "Delivered; nothing to do.");
        return new StoredResult(id, "file:/var/log/mail.log", T0.plusSeconds(6), r, c);
    }

    /** The entry the store's suppression policy makes for {@link #gmailUserUnknown}. */
    public static Suppression suppressionFor(StoredResult r) {
        return new Suppression(r.result().recipient().toLowerCase(java.util.Locale.ROOT), Suppression.ORIGIN_BOUNCE,
                "userunknown: 550 5.1.1 The email account that you tried to reach does not exist. from gmail-smtp-in.l.google.com",
                r.classification().category(), r.ingestedAt(), r.ingestedAt(), r.id(), r.result().dsn(),
                r.result().replyCode(), r.result().diagnostic(), 1);
    }
}
