package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.SmtpStage;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Line shapes from the research notes that the shared corpus does not carry. */
class MtaShapesTest {

    private static DeliveryResult only(String line) {
        LogParser parser = new LogParser(ParserSettings.defaults().withZone(ZoneOffset.UTC), Correlator.withDefaults(), r -> { });
        parser.startSource(2026);
        List<DeliveryResult> results = parser.accept(line);
        assertThat(results).as(line).hasSize(1);
        return results.get(0);
    }

    @Test
    void sendmailReplyFieldGivesTheRemoteReply() {
        DeliveryResult r = only("Nov 29 04:00:01 mx sendmail[21743]: 6AT40M1Q021734: to=user@example.test, ctladdr=sender@example.test (0/0), "
                + "delay=00:00:00, xdelay=00:00:00, mailer=relay, pri=30410, relay=[127.0.0.2] [127.0.0.2], dsn=5.5.0, "
                + "reply=554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org, stat=Service unavailable");
        assertThat(r.status()).isEqualTo(DeliveryStatus.BOUNCED);
        assertThat(r.replyCode()).isEqualTo(554);
        assertThat(r.diagnostic()).isEqualTo("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org");
        assertThat(r.mtaStatus()).isEqualTo("Service unavailable");
        assertThat(r.relayIp()).isEqualTo("127.0.0.2");
        assertThat(r.dsn()).isEqualTo("5.5.0");
    }

    @Test
    void postfixQuotedLocalPartWithSpacesAndTlsField() {
        DeliveryResult r = only("Jan  5 12:00:01 mail postfix/smtp[1]: 7EE668039: to=<\"john doe\"@example.com>, orig_to=<\"j, d\"@example.com>, "
                + "relay=mail.example.com[1.2.3.4]:25, delay=3.6, delays=0.08/0.02/0.85/0.14, tls=dane/!requiretls:nocertmatch, dsn=2.0.0, status=sent (250 2.0.0 Ok)");
        assertThat(r.recipient()).isEqualTo("\"john doe\"@example.com");
        assertThat(r.origRecipient()).isEqualTo("\"j, d\"@example.com");
        assertThat(r.delaySeconds()).isEqualTo(3.6);
    }

    @Test
    void postfixSuspendedDeliveryKeepsTheInnerReplyAndStage() {
        DeliveryResult r = only("Nov 29 04:00:01 mx postfix/error[18247]: C682B166059: to=<user@example.test>, relay=none, delay=9.9, "
                + "delays=9.9/0.01/0/0, dsn=4.7.1, status=deferred (delivery temporarily suspended: host 127.0.0.2[127.0.0.2] refused to talk to me: "
                + "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org)");
        assertThat(r.replyCode()).isEqualTo(554);
        assertThat(r.stage()).isEqualTo(SmtpStage.CONNECT);
        assertThat(r.relayIp()).as("from the reason when relay=none").isEqualTo("127.0.0.2");
        assertThat(r.diagnostic()).startsWith("554 5.7.1 Service unavailable");
    }

    @Test
    void openSmtpdLegacyRelayLineAndUnquotedMda() {
        DeliveryResult legacy = only("May  1 10:00:00 mx smtpd[1]: relay: TempFail for 8f26ea98359eccea: session=4b3a6c195c1f6010, "
                + "from=<a@b.org>, to=<c@d.it>, rcpt=<->, source=45.76.46.201, relay=62.211.72.32 (smtp.tin.it), delay=0s, stat=421 Service not available");
        assertThat(legacy.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(legacy.recipient()).isEqualTo("c@d.it");
        assertThat(legacy.sender()).isEqualTo("a@b.org");
        assertThat(legacy.replyCode()).isEqualTo(421);
        assertThat(legacy.relayIp()).isEqualTo("62.211.72.32");
        DeliveryResult mda = only("Jul  6 06:01:40 ams-1 smtpd[75295]: 5df87c9250bba470 mda delivery evpid=c405e39ad6bbc64f from=<g@p.org> "
                + "to=<g@p.org> rcpt=<postmaster@p.org> user=gilles delay=0s result=PermFail stat=Error (\"/usr/bin/procmail\" exited 75)");
        assertThat(mda.status()).isEqualTo(DeliveryStatus.BOUNCED);
        assertThat(mda.origRecipient()).isEqualTo("postmaster@p.org");
        assertThat(mda.diagnostic()).isEqualTo("Error (\"/usr/bin/procmail\" exited 75)");
    }

    @Test
    void eximQueueTimeAndTheLongFailingHostExpiry() {
        DeliveryResult sent = only("2026-11-29 04:00:01 1xXW3b-00053T-0X => user@example.test R=smarthost T=remote_smtp_smarthost "
                + "H=127.0.0.1 [127.0.0.1]:2525 C=\"250 2.0.0 Ok: queued as 46O6O1Tl6SDL9T\" QT=1m12s DT=0.5s");
        assertThat(sent.delaySeconds()).isEqualTo(72.0);
        assertThat(sent.relay()).isEqualTo("127.0.0.1 [127.0.0.1]:2525");
        assertThat(sent.dsn()).isEqualTo("2.0.0");
        DeliveryResult gaveUp = only("2026-11-29 04:00:01 1xXW3b-00053a-0k ** user@example.test R=hubbed_hosts T=remote_smtp: "
                + "all hosts for 'example.test' have been failing for a long time (and retry time not reached)");
        assertThat(gaveUp.status()).isEqualTo(DeliveryStatus.EXPIRED);
        assertThat(gaveUp.mtaStatus()).isEqualTo("bounced");
    }

    @Test
    void eximMultiLineReplyAfterRcpt() {
        DeliveryResult r = only("2026-11-29 04:00:01 1xXW3b-00053T-0X ** user@example.test R=hubbed_hosts T=remote_smtp H=127.0.0.1 [127.0.0.1]: "
                + "SMTP error from remote mail server after RCPT TO:<user@example.test>: 550-5.1.1 The email account does not exist.\\n550 5.1.1  https://support.google.com - gsmtp");
        assertThat(r.diagnostic()).isEqualTo("550 5.1.1 The email account does not exist. https://support.google.com - gsmtp");
        assertThat(r.dsn()).isEqualTo("5.1.1");
        assertThat(r.stage()).isEqualTo(SmtpStage.RCPT);
    }
}
