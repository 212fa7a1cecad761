package dev.bouncewatch.agent.classify;

import dev.bouncewatch.agent.model.SmtpStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One or more real replies per rule family (texts from the providers' own pages and Sisimai's
 * samples, see research/classification.md), and the ambiguous cases where the same reply code or
 * the same words mean different things.
 */
class ClassifierRulesTest {

    private static final Classifier CLASSIFIER = Classifier.load();

    private static Classification classify(String reply, String stage, String host) {
        SmtpStage s = stage == null ? SmtpStage.NONE : SmtpStage.fromWireName(stage);
        return CLASSIFIER.classify(ClassifierInput.fromReply(reply, s, host));
    }

    @ParameterizedTest(name = "{3}: {0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser | rcpt | gmail-smtp-in.l.google.com | userunknown | permanent | suppress
            550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup            | rcpt | example-com.mail.protection.outlook.com | userunknown | permanent | suppress
            550 5.1.1 <u@example.org>: Recipient address rejected: User unknown in virtual mailbox table       | rcpt | -                   | userunknown     | permanent | suppress
            554 delivery error: dd This user doesn't have a yahoo.com account (u@yahoo.com) [0] - mta1061.mail.ne1.yahoo.com | data_end | mta5.am0.yahoodns.net | userunknown | permanent | suppress
            450 4.1.1 <u@example.org>: Recipient address rejected: unverified address: unknown user: "u@example.org" | rcpt | - | userunknown | transient | retry
            550 5.1.2 <u@nxdomain.example>... Host unknown (Name server: nxdomain.example: host not found)     | rcpt | -                   | hostunknown     | permanent | suppress
            553 5.1.2 We weren't able to find the recipient domain. Please check for any spelling errors.     | rcpt | aspmx.l.google.com  | hostunknown     | permanent | suppress
            550 5.1.6 recipient no longer on server: u@example.jp                                            | rcpt | -                   | hasmoved        | permanent | suppress
            550 5.2.1 The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser | rcpt | - | suspend | permanent | suppress
            554 30 Sorry, your message to u@aol.jp cannot be delivered. This mailbox is disabled (554.30)    | rcpt | -                   | suspend         | permanent | suppress
            452 4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp | rcpt | - | mailboxfull | transient | retry
            552 5.2.2 <u@icloud.com>: user is over quota                                                     | rcpt | mx01.mail.icloud.com | mailboxfull    | permanent | retry
            552 5.3.4 Message too large                                                                       | data_end | -               | mesgtoobig      | permanent | reduce-size
            552 5.2.3 Message length exceeds limit set by recipient                                          | data_end | -               | exceedlimit     | permanent | reduce-size
            550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/ | rcpt | - | blocked | permanent | check-blocklist
            554 5.7.1 Service unavailable; Client host [203.0.113.45] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.45 | rcpt | - | blocked | permanent | check-blocklist
            554 Service unavailable; Client host [192.0.2.9] blocked using Barracuda Reputation; http://bbl.barracudacentral.com/q.cgi?ip=192.0.2.9 | connect | - | blocked | permanent | check-blocklist
            553 5.7.2 [TSS09] All messages from 192.0.2.25 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes | mail | - | blocked | permanent | check-blocklist
            421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes | mail | - | badreputation | transient | check-reputation
            451 4.7.650 The mail server [192.0.2.5] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) | rcpt | - | badreputation | transient | check-reputation
            550 5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. | data_end | - | spamdetected | permanent | fix-content
            550 Virus Detected; Content Rejected                                                              | data_end | -               | virusdetected   | permanent | fix-content
            554 Message not allowed - [PH01] Email not accepted for policy reasons. Please visit https://postmaster.yahooinc.com/error-codes | data_end | - | policyviolation | permanent | contact-recipient-admin
            550 5.7.1 This message is not RFC 5322 compliant. There are multiple Subject headers.            | data_end | -               | notcompliantrfc | permanent | fix-content
            550 5.6.9 improper use of 8-bit data in message header                                           | data_end | -               | contenterror    | permanent | fix-content
            550 5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy.  | data_end | -               | authfailure     | permanent | fix-authentication
            421 4.7.26 This mail has been rate limited because it is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. | data_end | - | authfailure | transient | fix-authentication
            550 5.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. | mail | - | requireptr | permanent | fix-dns
            553 5.1.8 <root@host.invalid>... Domain of sender address root@host.invalid does not exist       | mail | -                   | rejected        | permanent | fix-sender
            554 5.7.1 <u@example.com>: Relay access denied                                                    | rcpt | -                   | norelaying      | permanent | fix-routing
            535 5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials | auth | smtp.gmail.com | securityerror | permanent | fix-credentials
            538 5.7.10 STARTTLS is required to send mail                                                     | mail | -                   | failedstarttls  | permanent | fix-tls
            450 4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. | rcpt | - | speeding | transient | reduce-rate
            452 4.5.3 Your message has too many recipients. For more information regarding Google's sending limits, visit https://support.google.com/mail/answer/6592 | rcpt | - | toomanyconn | transient | reduce-rate
            421 Too many connections                                                                          | connect | -               | toomanyconn     | transient | reduce-rate
            421 4.4.7 Delivery time expired                                                                   | -    | -                   | expired         | transient | retry
            554 5.4.6 Hop count exceeded - possible mail loop                                                 | data_end | -               | networkerror    | permanent | investigate
            451 4.3.0 Error: queue file write error                                                           | data_end | -               | systemerror     | transient | retry
            554 5.3.0 unknown mailer error 255                                                                | data_end | -               | mailererror     | permanent | contact-recipient-admin
            503 5.5.1 Bad sequence of commands.                                                               | data | -                   | syntaxerror     | permanent | investigate
            556 SMTP protocol returned a permanent error                                                      | rcpt | -                   | notaccept       | permanent | suppress
            550 The answer to life is 42                                                                      | data_end | -               | onhold          | permanent | investigate
            """)
    void classifiesEachFamily(String reply, String stage, String host, String category, String severity, String action) {
        Classification c = classify(reply, stage, host);
        assertThat(c.category()).as("category of %s (rule %s)", reply, c.ruleId()).isEqualTo(category);
        assertThat(c.severity().wireName()).as("severity").isEqualTo(severity);
        assertThat(c.action().wireName()).as("action").isEqualTo(action);
        assertThat(c.advice()).isNotBlank();
        assertThat(c.ruleId()).isNotBlank();
    }

    @ParameterizedTest(name = "{0} {1} at {2} -> {3}")
    @CsvSource(nullValues = "-", textBlock = """
            550, 5.1.1, rcpt, userunknown,  status.x.1.1
            550, 5.1.2, rcpt, hostunknown,  status.x.1.2
            553, 5.1.7, mail, rejected,     status.x.1.7
            450, 4.2.2, rcpt, mailboxfull,  status.x.2.2
            552, 5.3.4, data_end, mesgtoobig, status.x.3.4
            550, 5.4.4, none, hostunknown,  status.5.4.4
            451, 4.4.7, none, expired,      status.x.4.7
            550, 5.7.26, data_end, authfailure, status.x.7.auth
            550, 5.7.25, mail, requireptr,  status.x.7.25
            554, 5.6.1, data_end, contenterror, status.x.6
            450, 4.7.1, rcpt, blocked,      status.4.7.1
            550, 5.7.99, rcpt, securityerror, status.x.7
            452, 5.5.3, rcpt, toomanyconn,  status.x.5.3
            525, 5.7.13, rcpt, suspend,     status.x.7.13
            525, -,     rcpt, suspend,      reply.525
            535, -,     auth, securityerror, reply.auth
            552, -,     rcpt, mailboxfull,  reply.552
            421, -,     mail, systemerror,  reply.421
            550, -,     mail, rejected,     reply.mail.rejected
            550, -,     rcpt, onhold,       builtin.onhold
            """)
    void codesAloneUseTheEnhancedCodeTableThenTheReplyCode(int code, String esc, String stage, String category,
                                                            String ruleId) {
        String text = code + (esc == null ? "" : " " + esc);
        Classification c = CLASSIFIER.classify(new ClassifierInput(code, esc, text, SmtpStage.fromWireName(stage), null));
        assertThat(c.category()).isEqualTo(category);
        assertThat(c.ruleId()).isEqualTo(ruleId);
    }

    // --- a 550 is not one thing ---------------------------------------------------------------------

    @Test
    void a550IsUserUnknownOrBlockedOrAuthFailureByWhatItSays() {
        assertThat(classify("550 5.1.1 <u@example.org>... User Unknown", "rcpt", null).category()).isEqualTo("userunknown");
        assertThat(classify("550 5.7.1 Unfortunately, messages from [192.0.2.5] weren't sent. Please contact your Internet "
                + "service provider since part of their network is on our block list (S3150).", "rcpt", null).category())
                .isEqualTo("blocked");
        assertThat(classify("550 5.7.1 Message rejected per sender's SPF policy - OXSUS001_514", "rcpt", null).category())
                .isEqualTo("authfailure");
        assertThat(classify("550 5.7.509 Access denied, sending domain [EXAMPLE.ORG] does not pass DMARC verification "
                + "and has a DMARC policy of reject.", "data_end", "example-org.mail.protection.outlook.com").category())
                .isEqualTo("authfailure");
    }

    @Test
    void onlyAddressProblemsAreHardBounces() {
        assertThat(classify("550 5.1.1 <u@example.org>... User Unknown", "rcpt", null).hardBounce()).isTrue();
        assertThat(classify("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "rcpt", null)
                .hardBounce()).as("a blocklist refusal must never suppress the recipient").isFalse();
        assertThat(classify("552 5.2.2 Mailbox full", "rcpt", null).hardBounce()).isFalse();
        assertThat(classify("450 4.1.1 <u@example.org>: Recipient address rejected: User unknown in virtual alias table",
                "rcpt", null).hardBounce()).as("a 4xx is never hard").isFalse();
    }

    @Test
    void userUnknownAfterDataIsTheRecipientsFilterUnlessTheCodeSaysBadMailbox() {
        assertThat(classify("550 Unknown user u@example.net", "data_end", null).category()).isEqualTo("filtered");
        assertThat(classify("550 Unknown user u@example.net", "rcpt", null).category()).isEqualTo("userunknown");
        assertThat(CLASSIFIER.classify(new ClassifierInput(550, "5.1.1", "550 unknown user", SmtpStage.DATA_END, null))
                .category()).isEqualTo("userunknown");
    }

    @Test
    void theStageIsReadFromTheMtaWrapperWhenNotGiven() {
        Classification c = classify("host mail.example.net[192.0.2.78] said: 550 Unknown user u@example.net "
                + "(in reply to end of DATA command)", null, null);
        assertThat(c.category()).isEqualTo("filtered");
        assertThat(c.signals()).contains("stage:data_end");
        Classification mail = classify("SMTP error from remote mail server after MAIL FROM:<s@example.com> SIZE=1024: "
                + "host mx.example.net [192.0.2.222]: 550 5.7.1 Access denied", null, null);
        assertThat(mail.category()).isEqualTo("rejected");
    }

    // --- 552: full mailbox or too big ---------------------------------------------------------------

    @Test
    void a552IsMailboxFullOrTooBig() {
        assertThat(classify("552 5.2.2 <u@example.org>: Recipient address rejected: Mailbox full", "rcpt", null).category())
                .isEqualTo("mailboxfull");
        assertThat(classify("552 5.3.4 Message size exceeds fixed limit", "data_end", null).category()).isEqualTo("mesgtoobig");
        assertThat(classify("552 5.2.3 Message size exceeds fixed maximum message size (10485760)", "mail", null).category())
                .isEqualTo("exceedlimit");
        assertThat(classify("552 5.7.0 Our system detected an illegal attachment on your message.", "data_end", null)
                .category()).isEqualTo("policyviolation");
        assertThat(classify("552 1 Requested mail action aborted, mailbox not found", "data_end", null).category())
                .as("'1' is not an enhanced code, and the words say no such mailbox").isIn("userunknown", "filtered");
    }

    // --- 554: spam content or blocklisted IP --------------------------------------------------------

    @Test
    void a554IsSpamContentOrABlocklistedIp() {
        Classification spam = classify("554 5.7.1 Mail Score (59) over MessageScoringUpperLimit (50)", "data_end", null);
        assertThat(spam.category()).isEqualTo("spamdetected");
        assertThat(spam.action()).isEqualTo(Action.FIX_CONTENT);
        Classification listed = classify("554 Connection refused. This IP address is listed on the Spamhaus Block List (SBL). IB104",
                "connect", null);
        assertThat(listed.category()).isEqualTo("blocked");
        assertThat(listed.action()).isEqualTo(Action.CHECK_BLOCKLIST);
        assertThat(listed.signals()).contains("blocklist:spamhaus", "provider-code:IB104");
    }

    // --- 421/451: greylisting or rate limit ---------------------------------------------------------

    @Test
    void a4xxIsGreylistingOrARateLimit() {
        Classification grey = classify("450 4.2.0 <u@example.net>: Recipient address rejected: Greylisted, see "
                + "http://postgrey.schweikert.ch/help/example.net.html", "rcpt", null);
        assertThat(grey.category()).isEqualTo("blocked");
        assertThat(grey.severity()).isEqualTo(Severity.TRANSIENT);
        assertThat(grey.action()).as("greylisting needs nothing but the MTA's retry").isEqualTo(Action.RETRY);
        assertThat(grey.signals()).contains("greylisted");

        Classification slower = classify("451 4.7.1 <smtp.example.jp[192.0.2.3]>: Client host rejected: Please try again slower",
                "rcpt", null);
        assertThat(slower.category()).isEqualTo("speeding");
        assertThat(slower.action()).isEqualTo(Action.REDUCE_RATE);
        assertThat(slower.signals()).doesNotContain("greylisted");

        Classification mimecast = classify("451 Internal resources are temporarily unavailable", "rcpt",
                "us-smtp-inbound-1.mimecast.com");
        assertThat(mimecast.category()).isEqualTo("badreputation");
        assertThat(mimecast.signals()).contains("provider:mimecast");
    }

    @Test
    void providerCodesAndProvidersBecomeSignals() {
        Classification c = classify("550 5.7.1 Unfortunately, messages from [10.0.2.5] weren't sent. Please contact your "
                + "Internet service provider since part of their network is on our block list (S3150).", "rcpt",
                "hotmail-com.olc.protection.outlook.com");
        assertThat(c.signals()).contains("provider-code:S3150", "provider:microsoft", "blocklist:microsoft", "stage:rcpt");
        assertThat(c.ruleId()).isEqualTo("microsoft.network-block-list");
    }

    @Test
    void aBareCodeFallsBackToTheEnhancedCodeTableThenTheReplyCode() {
        assertThat(CLASSIFIER.classify(new ClassifierInput(550, "5.2.2", "550 5.2.2", SmtpStage.RCPT, null)).ruleId())
                .isEqualTo("status.x.2.2");
        assertThat(CLASSIFIER.classify(new ClassifierInput(525, null, "525", SmtpStage.RCPT, null)).category())
                .isEqualTo("suspend");
        assertThat(CLASSIFIER.classify(new ClassifierInput(554, null, "554 no", SmtpStage.CONNECT, null)).category())
                .isEqualTo("blocked");
    }

    @Test
    void withoutCodesTheSeverityComesFromTheWords() {
        assertThat(classify("Connection timed out", null, null).severity()).isEqualTo(Severity.PERMANENT);
        assertThat(classify("Mail from [192.0.2.1] deferred using Trend Micro Email Reputation database", null, null)
                .severity()).isEqualTo(Severity.TRANSIENT);
    }

    @Test
    void garbageIsClassifiedNotThrown() {
        assertThat(classify("", null, null).category()).isEqualTo("undefined");
        assertThat(classify("\u0000\u0001\uFFFD\uD800 \u00ff", null, null).category()).isEqualTo("onhold");
        Classification huge = classify("550 5.1.1 user unknown " + "x".repeat(5_000_000), "rcpt", null);
        assertThat(huge.category()).isEqualTo("userunknown");
        assertThat(classify("|||[[[((( 999 9.9.9 ]]]", null, "[not a host]:25").category()).isNotNull();
    }

    @Test
    void theSameInputAlwaysGivesTheSameAnswer() {
        String reply = "550 5.7.1 client was not authenticated";
        Classification first = Classifier.load().classify(ClassifierInput.fromReply(reply));
        for (int i = 0; i < 3; i++) {
            assertThat(Classifier.load().classify(ClassifierInput.fromReply(reply))).isEqualTo(first);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(CLASSIFIER.classify(ClassifierInput.fromReply(reply))).isEqualTo(first);
        }
    }

    @Test
    void concurrentCallersGetTheSameAnswersAsOne() throws Exception {
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            replies.add(switch (i % 4) {
                case 0 -> "550 5.1.1 <user" + i + "@example.org>: Recipient address rejected: User unknown";
                case 1 -> "421 4.7.0 [TSS04] Messages from 10.0." + (i % 200) + ".1 temporarily deferred";
                case 2 -> "452 4.2.2 The recipient's inbox is out of storage space. id" + i;
                default -> "554 5.7.1 Service unavailable; Client host [192.0.2." + (i % 200) + "] blocked using zen.spamhaus.org";
            });
        }
        Classifier shared = Classifier.load();
        Classifier alone = Classifier.load();
        List<Classification> expected = replies.stream().map(r -> alone.classify(ClassifierInput.fromReply(r))).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Classification>>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> replies.stream().map(r -> shared.classify(ClassifierInput.fromReply(r))).toList()));
            }
            for (Future<List<Classification>> run : runs) {
                assertThat(run.get(2, TimeUnit.MINUTES)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void volatileDetailsDoNotChangeTheAnswer() {
        Classification a = classify("550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown from 192.0.2.1",
                "rcpt", null);
        Classification b = classify("550 5.1.1 <bob.smith@example.org>: Recipient address rejected: User unknown from 198.51.100.7",
                "rcpt", null);
        assertThat(b).isEqualTo(a);
    }
}
