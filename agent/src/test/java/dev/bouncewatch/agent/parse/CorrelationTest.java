package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.SmtpStage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CorrelationTest {

    private static LogParser parser(Correlator correlator) {
        LogParser p = new LogParser(ParserSettings.defaults().withZone(ZoneOffset.UTC), correlator, r -> { });
        p.startSource(2020);
        return p;
    }

    private static List<DeliveryResult> feed(LogParser parser, String... lines) {
        List<DeliveryResult> out = new ArrayList<>();
        for (String line : lines) {
            out.addAll(parser.accept(line));
        }
        return out;
    }

    @Test
    void postfixExpiryGivesOneExpiredResultPerPendingRecipientWithItsLastReply() {
        // lightmeter 18_expired.log, plus a second recipient that was delivered before the expiry
        List<DeliveryResult> results = feed(parser(Correlator.withDefaults()),
                "Sep 25 18:26:35 smtpnode16 postfix-239.58.50.50/cleanup[5083]: 23EBE3D5C0: message-id=<abc@h-5e67b9b4406.com>",
                "Sep 25 18:26:35 smtpnode16 postfix-239.58.50.50/qmgr[31214]: 23EBE3D5C0: from=<h-498b874f2bf0cf639807ad80e1@h-5e67b9b4406.com>, size=2310, nrcpt=2 (queue active)",
                "Sep 25 18:26:36 smtpnode16 postfix-239.58.50.50/smtp[5084]: 23EBE3D5C0: to=<h-664d01@h-695da2287.com>, relay=ALT2.ASPMX.L.GOOGLE.com[3.155.237.60]:25, delay=2, delays=0.18/0/1.6/0.19, dsn=4.1.1, status=deferred (host ALT2.ASPMX.L.GOOGLE.com[3.155.237.60] said: 452 4.1.1 <h-664d01@h-695da2287.com> user is over quota, please try again later (in reply to RCPT TO command))",
                "Sep 25 18:26:36 smtpnode16 postfix-239.58.50.50/smtp[5084]: 23EBE3D5C0: to=<other@h-695da2287.com>, relay=ALT2.ASPMX.L.GOOGLE.com[3.155.237.60]:25, delay=2, delays=0.18/0/1.6/0.19, dsn=2.0.0, status=sent (250 2.0.0 OK)",
                "Sep 30 12:46:06 smtpnode16 postfix-239.58.50.50/smtp[2851]: 23EBE3D5C0: to=<h-664d01@h-695da2287.com>, relay=ALT2.ASPMX.L.GOOGLE.com[3.155.237.60]:25, delay=411573, delays=411571/0/1.5/0.2, dsn=4.1.1, status=deferred (host ALT2.ASPMX.L.GOOGLE.com[3.155.237.60] said: 452 4.1.1 <h-664d01@h-695da2287.com> user is over quota, please try again later (in reply to RCPT TO command))",
                "Sep 30 20:46:08 smtpnode16 postfix-239.58.50.50/smtp[23560]: 23EBE3D5C0: to=<h-664d01@h-695da2287.com>, relay=example-com.mail.protection.outlook.com[3.155.237.60]:25, delay=440374, delays=440372/0.04/1.6/0.84, dsn=4.1.1, status=deferred (host ALT2.ASPMX.L.GOOGLE.com[3.155.237.60] said: 452 4.1.1 <h-664d01@h-695da2287.com> user is over quota, please try again later (in reply to RCPT TO command))",
                "Sep 30 20:46:08 smtpnode16 postfix-239.58.50.50/qmgr[31214]: 23EBE3D5C0: from=<h-498b874f2bf0cf639807ad80e1@h-5e67b9b4406.com>, status=expired, returned to sender",
                "Sep 30 20:46:08 smtpnode16 postfix-239.58.50.50/bounce[23567]: 23EBE3D5C0: sender non-delivery notification: A7E673C067",
                "Sep 30 20:46:08 smtpnode16 postfix-239.58.50.50/qmgr[31214]: 23EBE3D5C0: removed");

        assertThat(results).extracting(DeliveryResult::status).containsExactly(DeliveryStatus.DEFERRED, DeliveryStatus.DELIVERED,
                DeliveryStatus.DEFERRED, DeliveryStatus.DEFERRED, DeliveryStatus.EXPIRED);
        assertThat(results).filteredOn(r -> r.recipient().equals("h-664d01@h-695da2287.com"))
                .extracting(DeliveryResult::attempts).containsExactly(1, 2, 3, 3);
        DeliveryResult expired = results.get(4);
        assertThat(expired.recipient()).isEqualTo("h-664d01@h-695da2287.com");
        assertThat(expired.mtaStatus()).isEqualTo("expired");
        assertThat(expired.replyCode()).isEqualTo(452);
        assertThat(expired.dsn()).isEqualTo("4.1.1");
        assertThat(expired.stage()).isEqualTo(SmtpStage.RCPT);
        assertThat(expired.relay()).isEqualTo("example-com.mail.protection.outlook.com[3.155.237.60]:25");
        assertThat(expired.diagnostic()).startsWith("452 4.1.1 <h-664d01@h-695da2287.com> user is over quota");
        assertThat(expired.sender()).isEqualTo("h-498b874f2bf0cf639807ad80e1@h-5e67b9b4406.com");
        assertThat(expired.messageId()).isEqualTo("abc@h-5e67b9b4406.com");
        assertThat(results).allSatisfy(r -> assertThat(r.sender()).isEqualTo("h-498b874f2bf0cf639807ad80e1@h-5e67b9b4406.com"));
    }

    @Test
    void removedForgetsTheQueueIdSoAReusedShortIdStartsAfresh() {
        LogParser parser = parser(Correlator.withDefaults());
        feed(parser,
                "Jan  5 12:00:01 mail postfix/qmgr[1]: 0F5383D: from=<a@example.com>, size=10, nrcpt=1 (queue active)",
                "Jan  5 12:00:02 mail postfix/smtp[2]: 0F5383D: to=<x@example.org>, relay=mx[1.2.3.4]:25, delay=1, dsn=4.0.0, status=deferred (host mx[1.2.3.4] said: 451 try later (in reply to RCPT TO command))",
                "Jan  5 12:00:03 mail postfix/qmgr[1]: 0F5383D: removed");
        assertThat(parser.correlator().trackedMessages()).isZero();
        List<DeliveryResult> reused = feed(parser,
                "Jan  6 12:00:02 mail postfix/smtp[2]: 0F5383D: to=<x@example.org>, relay=mx[1.2.3.4]:25, delay=1, dsn=2.0.0, status=sent (250 ok)");
        assertThat(reused).singleElement().satisfies(r -> {
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.sender()).isNull();
        });
    }

    @Test
    void queueIdsOfDifferentHostsAreKeptApart() {
        LogParser parser = parser(Correlator.withDefaults());
        feed(parser, "Jan  5 12:00:01 mx1 postfix/qmgr[1]: 0F5383D: from=<a@one.example>, size=10, nrcpt=1 (queue active)",
                "Jan  5 12:00:01 mx2 postfix/qmgr[1]: 0F5383D: from=<b@two.example>, size=10, nrcpt=1 (queue active)");
        List<DeliveryResult> r = feed(parser,
                "Jan  5 12:00:02 mx2 postfix/smtp[2]: 0F5383D: to=<x@example.org>, relay=mx[1.2.3.4]:25, delay=1, dsn=2.0.0, status=sent (250 ok)");
        assertThat(r).singleElement().extracting(DeliveryResult::sender).isEqualTo("b@two.example");
    }

    @Test
    void eximRetryTimeoutExpiresTheRecipientWithItsLastDeferral() {
        List<DeliveryResult> results = feed(parser(Correlator.withDefaults()),
                "2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386 id=m1@test.corp",
                "2020-06-19 04:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (-44) H=mx.null.corp [6.6.6.6]: SMTP error from remote mail server after RCPT TO:<bob@null.corp>: 452 4.2.2 Mailbox full",
                "2020-06-19 05:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (-54): retry time not reached for any host for 'null.corp'",
                "2020-06-23 04:54:02 1jmFYj-00039V-QX ** bob@null.corp: retry timeout exceeded",
                "2020-06-23 04:54:02 [456] 1jmFYj-00039V-QX Completed");
        assertThat(results).extracting(DeliveryResult::status)
                .containsExactly(DeliveryStatus.DEFERRED, DeliveryStatus.DEFERRED, DeliveryStatus.EXPIRED);
        assertThat(results).extracting(DeliveryResult::attempts).as("'retry time not reached' is no attempt").containsExactly(1, 1, 1);
        DeliveryResult expired = results.get(2);
        assertThat(expired.replyCode()).isEqualTo(452);
        assertThat(expired.dsn()).isEqualTo("4.2.2");
        assertThat(expired.stage()).isEqualTo(SmtpStage.RCPT);
        assertThat(expired.relay()).isEqualTo("mx.null.corp [6.6.6.6]");
        assertThat(expired.sender()).isEqualTo("noreply@test.corp");
        assertThat(expired.messageId()).isEqualTo("m1@test.corp");
    }

    @Test
    void sendmailCannotSendMessageExpiresEveryPendingRecipientOfTheLine() {
        List<DeliveryResult> results = feed(parser(Correlator.withDefaults()),
                "Nov 13 06:52:37 combo sendmail[16378]: jADBq5Ac016378: from=<me@example.com>, size=4109, class=0, nrcpts=3, msgid=<m2@example.com>, proto=ESMTP, daemon=MTA, relay=localhost [127.0.0.1]",
                "Nov 13 06:57:34 combo sendmail[16397]: jADBq5Ac016378: to=<sb4@dresser-rand.com>,<guidry@dresser-rand.com>, delay=00:04:57, xdelay=00:04:57, mailer=esmtp, pri=424109, relay=lehmail.dresser-rand.com. [194.98.13.101], dsn=4.0.0, stat=Deferred: Connection timed out with lehmail.dresser-rand.com.",
                "Nov 18 06:57:34 combo sendmail[16397]: jADBq5Ac016378: jAIBvYAc016397: sender notify: Cannot send message for 5 days");
        assertThat(results).hasSize(4);
        assertThat(results.subList(2, 4)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(DeliveryStatus.EXPIRED);
            assertThat(r.stage()).isEqualTo(SmtpStage.CONNECT);
            assertThat(r.diagnostic()).isEqualTo("Connection timed out with lehmail.dresser-rand.com.");
            assertThat(r.sender()).isEqualTo("me@example.com");
            assertThat(r.messageId()).isEqualTo("m2@example.com");
            assertThat(r.delaySeconds()).isNull();
        });
        assertThat(results.subList(2, 4)).extracting(DeliveryResult::recipient).containsExactly("sb4@dresser-rand.com", "guidry@dresser-rand.com");
        assertThat(results.get(0).delaySeconds()).isEqualTo(297.0);
    }

    @Test
    void openSmtpdExpireEndsTheEnvelopeWithItsLastTempFail() {
        List<DeliveryResult> results = feed(parser(Correlator.withDefaults()),
                "Nov 29 04:00:01 mx smtpd[20704]: 0000000000000000 mta delivery evpid=1330b906b044170a from=<sender@example.test> to=<user@example.test> rcpt=<-> source=\"-\" relay=\"127.0.0.2\" delay=11s result=\"TempFail\" stat=\"Network error on destination MXs\"",
                "Nov 29 04:00:45 mx smtpd[20705]: relay: Expire for 1330b906b044170a: from=<sender@example.test>, to=<user@example.test>, rcpt=<->, delay=44s, stat=Envelope expired");
        assertThat(results).extracting(DeliveryResult::status).containsExactly(DeliveryStatus.DEFERRED, DeliveryStatus.EXPIRED);
        DeliveryResult expired = results.get(1);
        assertThat(expired.recipient()).isEqualTo("user@example.test");
        assertThat(expired.mtaStatus()).isEqualTo("Expire");
        assertThat(expired.diagnostic()).isEqualTo("Network error on destination MXs");
        assertThat(expired.delaySeconds()).isEqualTo(44.0);
        assertThat(expired.relayIp()).isEqualTo("127.0.0.2");
    }

    @Test
    void anExpiryOfAMessageNeverSeenBeforeIsReportedForTheMessage() {
        List<DeliveryResult> results = feed(parser(Correlator.withDefaults()),
                "Apr 10 14:50:16 mail postfix/qmgr[3663]: BACE842E72: from=<noreply@domain.com>, status=expired, returned to sender");
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.recipient()).isNull();
            assertThat(r.sender()).isEqualTo("noreply@domain.com");
            assertThat(r.status()).isEqualTo(DeliveryStatus.EXPIRED);
        });
    }

    @Test
    void memoryStaysBoundedWithManyQueueIds() {
        Correlator correlator = new Correlator(1000, 1500, Duration.ofDays(8));
        LogParser parser = parser(correlator);
        for (int i = 0; i < 50_000; i++) {
            String id = "Q" + Integer.toHexString(i).toUpperCase(java.util.Locale.ROOT) + "0000";
            parser.accept("Jan  5 12:00:01 mail postfix/qmgr[1]: " + id + ": from=<a@example.com>, size=10, nrcpt=2 (queue active)");
            parser.accept("Jan  5 12:00:02 mail postfix/smtp[2]: " + id + ": to=<x@example.org>, relay=mx[1.2.3.4]:25, delay=1, dsn=4.0.0, status=deferred (451 later)");
            parser.accept("Jan  5 12:00:02 mail postfix/smtp[2]: " + id + ": to=<y@example.org>, relay=mx[1.2.3.4]:25, delay=1, dsn=4.0.0, status=deferred (451 later)");
            if (i % 997 == 0) {
                assertThat(correlator.trackedMessages()).isLessThanOrEqualTo(1000);
                assertThat(correlator.trackedRecipients()).isLessThanOrEqualTo(1500);
            }
        }
        assertThat(correlator.trackedMessages()).isLessThanOrEqualTo(1000);
        assertThat(correlator.trackedRecipients()).isLessThanOrEqualTo(1500);
        assertThat(correlator.evicted()).isGreaterThan(48_000);
        assertThat(parser.counters().results()).isEqualTo(100_000);
    }

    @Test
    void queueIdsNotSeenForLongerThanTheStaleLimitAreForgotten() {
        Correlator correlator = new Correlator(1000, 10_000, Duration.ofDays(2));
        LogParser parser = parser(correlator);
        parser.accept("Jan  1 12:00:01 mail postfix/qmgr[1]: AAAAAA1: from=<a@example.com>, size=10, nrcpt=1 (queue active)");
        parser.accept("Jan  2 12:00:01 mail postfix/qmgr[1]: AAAAAA2: from=<a@example.com>, size=10, nrcpt=1 (queue active)");
        assertThat(correlator.trackedMessages()).isEqualTo(2);
        parser.accept("Jan  4 11:00:02 mail postfix/qmgr[1]: AAAAAA3: from=<a@example.com>, size=10, nrcpt=1 (queue active)");
        assertThat(correlator.trackedMessages()).as("the Jan 1 id is over two days old").isEqualTo(2);
        parser.accept("Jan  9 12:00:02 mail postfix/qmgr[1]: AAAAAA4: from=<a@example.com>, size=10, nrcpt=1 (queue active)");
        assertThat(correlator.trackedMessages()).isEqualTo(1);
    }
}
