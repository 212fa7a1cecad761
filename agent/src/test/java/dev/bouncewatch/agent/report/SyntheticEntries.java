package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Classified results shaped like a busy outbound relay's (the replies are real ones, as in
 * agent/bench/gen-postfix-log.py), for tests and for looking at a rendered report:
 * {@code java -cp target/classes:target/test-classes dev.bouncewatch.agent.report.SyntheticEntries out.html}.
 */
final class SyntheticEntries {

    record Domain(String name, String mx, String ip) {
    }

    record Reply(String category, String action, boolean hard, SmtpStage stage, String dsn, String text,
                 String advice) {
    }

    static final List<Domain> DOMAINS = List.of(
            new Domain("gmail.com", "gmail-smtp-in.l.google.com", "142.250.27.26"),
            new Domain("outlook.com", "outlook-com.olc.protection.outlook.com", "52.101.42.17"),
            new Domain("yahoo.com", "mta7.am0.yahoodns.net", "67.195.204.72"),
            new Domain("example.org", "mx.example.org", "192.0.2.25"),
            new Domain("web.de", "mx-ha03.web.de", "212.227.15.41"),
            new Domain("icloud.com", "mx01.mail.icloud.com", "17.57.154.6"),
            new Domain("corp.example", "mail.corp.example", "198.51.100.7"));

    static final List<Reply> BOUNCES = List.of(
            new Reply("userunknown", "suppress", true, SmtpStage.RCPT, "5.1.1",
                    "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1"
                    + " double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces."
                    + " For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si%d"
                    + " - gsmtp", "The address does not exist: remove it from your lists."),
            new Reply("userunknown", "suppress", true, SmtpStage.RCPT, "5.1.1",
                    "554 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table",
                    "The address does not exist: remove it from your lists."),
            new Reply("blocked", "check-blocklist", false, SmtpStage.RCPT, "5.7.1",
                    "550 5.7.1 Service unavailable, Client host [203.0.113.{ip}] blocked using Spamhaus. To request"
                    + " removal from this list see https://www.spamhaus.org/query/ip/203.0.113.9 (AS3130)."
                    + " [BN8NAM12FT053.eop-nam12.prod.protection.outlook.com]",
                    "Your IP is listed on Spamhaus: request delisting; do not drop the address."),
            new Reply("mailboxfull", "retry", false, SmtpStage.RCPT, "5.2.2",
                    "552 5.2.2 <{rcpt}>: Recipient address rejected: Mailbox full",
                    "The mailbox is full: retry later, suppress after weeks of failures."),
            new Reply("authfailure", "fix-authentication", false, SmtpStage.DATA_END, "5.7.26",
                    "550-5.7.26 Unauthenticated email from example.net is not accepted due to domain's 550-5.7.26"
                    + " DMARC policy. 550 5.7.26 https://support.google.com/mail/answer/2451690 - gsmtp",
                    "DMARC failed: align SPF and DKIM with the From domain."));

    static final List<Reply> DEFERRALS = List.of(
            new Reply("speeding", "reduce-rate", false, SmtpStage.MAIL, "4.7.0",
                    "421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected volume or"
                    + " user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
                    "Yahoo throttles you: lower the sending rate."),
            new Reply("blocked", "retry", false, SmtpStage.RCPT, "4.2.0",
                    "450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, see"
                    + " http://postgrey.schweikert.ch/help/example.org.html",
                    "Greylisted: the retry will go through, nothing to fix."),
            new Reply("badreputation", "reduce-rate", false, SmtpStage.DATA_END, "4.7.28",
                    "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating 421-4.7.28 from"
                    + " your IP address. 421 4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError"
                    + " x9si%d - gsmtp", "Gmail sees a spam-like rate: slow down and check complaint rates."));

    static final String[] NAMES = {"anna", "ben", "chris", "dora", "emil", "fritz", "gina", "hans"};

    private SyntheticEntries() {
    }

    /** About {@code messages} messages over {@code hours}: 80 % sent, 6 % bounced, 12 % deferred then sent, 2 % expired. */
    static List<ReportEntry> relay(int messages, int hours, long seed) {
        Random rnd = new Random(seed);
        List<ReportEntry> out = new ArrayList<>();
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < messages; i++) {
            Instant t = start.plusSeconds((long) i * hours * 3600 / messages);
            Domain d = DOMAINS.get(rnd.nextInt(DOMAINS.size()));
            String rcpt = NAMES[rnd.nextInt(NAMES.length)] + "." + rnd.nextInt(100_000) + "@" + d.name();
            String qid = String.format("%X", 0x1A2B3C000L + i * 7L);
            // domains differ, as they do for real: later ones in the list bounce more
            int di = DOMAINS.indexOf(d);
            double bounceShare = 0.02 + 0.015 * di;
            double r = rnd.nextDouble();
            if (r < 0.86 - bounceShare) {
                out.add(delivered(t, qid, rcpt, d, 1));
            } else if (r < 0.86) {
                out.add(failed(t, qid, rcpt, d, BOUNCES.get(rnd.nextInt(BOUNCES.size())), DeliveryStatus.BOUNCED, 1,
                        rnd));
            } else {
                Reply reply = DEFERRALS.get(rnd.nextInt(DEFERRALS.size()));
                out.add(failed(t, qid, rcpt, d, reply, DeliveryStatus.DEFERRED, 1, rnd));
                Instant later = t.plus(Duration.ofMinutes(5 + rnd.nextInt(55)));
                if (r < 0.98) {
                    out.add(delivered(later, qid, rcpt, d, 2));
                } else {
                    out.add(failed(later, qid, rcpt, d, reply, DeliveryStatus.DEFERRED, 2, rnd));
                    out.add(failed(later.plusSeconds(1), qid, rcpt, d, new Reply("expired", "investigate", false,
                            reply.stage(), reply.dsn(), reply.text(), "Gave up after retrying."),
                            DeliveryStatus.EXPIRED, 3, rnd));
                }
            }
        }
        out.sort((a, b) -> a.result().time().compareTo(b.result().time()));
        return out;
    }

    static ReportEntry delivered(Instant t, String qid, String rcpt, Domain d, int attempt) {
        return new ReportEntry(result(t, qid, rcpt, d, DeliveryStatus.DELIVERED, "sent", "2.0.0", 250,
                "250 2.0.0 OK  1732848000 a1si" + qid + " - gsmtp", SmtpStage.DATA_END, attempt),
                "none", "delivered", "none", false, List.of(), "");
    }

    static ReportEntry failed(Instant t, String qid, String rcpt, Domain d, Reply reply, DeliveryStatus status,
                              int attempt, Random rnd) {
        String text = reply.text().replace("{rcpt}", rcpt).replace("{ip}", Integer.toString(1 + rnd.nextInt(254))).replace("%d", Integer.toString(rnd.nextInt(1_000_000)));
        return new ReportEntry(result(t, qid, rcpt, d, status, status.wireName(), reply.dsn(),
                Integer.parseInt(text.substring(0, 3)), text, reply.stage(), attempt),
                status == DeliveryStatus.DEFERRED ? "transient" : "permanent", reply.category(), reply.action(),
                reply.hard(), List.of(), reply.advice());
    }

    static DeliveryResult result(Instant t, String qid, String rcpt, Domain d, DeliveryStatus status,
                                 String mtaStatus, String dsn, Integer code, String text, SmtpStage stage,
                                 int attempt) {
        return new DeliveryResult(t, "mail1", Mta.POSTFIX, qid, "<" + qid + "@sender.example>", "news@sender.example",
                rcpt, null, d.mx() + "[" + d.ip() + "]:25", d.ip(), status, mtaStatus, dsn, code, text, stage, 1.2,
                attempt);
    }

    /** Renders a sample report (HTML to the file given, text to stdout) to look at; 2nd argument: hours. */
    public static void main(String[] args) throws IOException {
        ReportBuilder builder = new ReportBuilder();
        List<ReportEntry> entries = relay(20_000, args.length > 1 ? Integer.parseInt(args[1]) : 11, 1);
        entries.forEach(builder::add);
        builder.addSource("mail.log", 100_000, 12);
        Report report = builder.build();
        Writer stdout = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
        new TextReportRenderer().render(report, stdout);
        try (Writer html = new FileWriter(args[0], StandardCharsets.UTF_8)) {
            new HtmlReportRenderer().render(report, html);
        }
    }
}
