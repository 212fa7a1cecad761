package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.Mta;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DispatchTest {

    private static final String POSTFIX = "Jan  5 12:00:01 mail postfix/smtp[4242]: 7EE668039: to=<admin@example.com>, relay=mx[1.2.3.4]:25, delay=3.6, dsn=2.0.0, status=sent (250 2.0.0 Ok)";
    private static final String SENDMAIL = "Jul 19 13:28:36 vs184010 sm-mta[11383]: m6JDSZoG011380: to=<mail@wzuup.com>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120553, relay=g. [209.85.129.27], dsn=2.0.0, stat=Sent (OK)";
    private static final String OPENSMTPD = "Jul  6 06:01:48 ams-1 smtpd[75295]: 5df87c9ffd0e785d mta delivery evpid=f6e94209918f7e7b from=<g@p.org> to=<g@gmail.com> rcpt=<-> source=\"1.2.3.4\" relay=\"1.2.3.5 (x)\" delay=2s result=\"Ok\" stat=\"250 2.0.0 OK\"";
    private static final String EXIM_SYSLOG = "Jun 19 06:26:02 mx exim[77]: 2020-06-19 06:26:02 1jmH1s-000AVD-5t => dave@foo.corp R=dnslookup T=remote_smtp H=mail.foo.corp [1.1.1.1] C=\"250 2.0.0 Ok: queued\"";

    private static LogParser parser(MtaChoice choice, List<InboundReject> rejects) {
        LogParser p = new LogParser(new ParserSettings(choice, ZoneOffset.UTC, 10_000), Correlator.withDefaults(), rejects::add);
        p.startSource(2024);
        return p;
    }

    @Test
    void aMixedSyslogStreamGoesToEachMtasParser() {
        LogParser parser = parser(MtaChoice.AUTO, new ArrayList<>());
        List<DeliveryResult> results = new ArrayList<>();
        for (String line : List.of(POSTFIX, SENDMAIL, OPENSMTPD, EXIM_SYSLOG, "Jan  5 12:00:01 mail dovecot[1]: imap: x")) {
            results.addAll(parser.accept(line));
        }
        assertThat(results).extracting(DeliveryResult::mta).containsExactly(Mta.POSTFIX, Mta.SENDMAIL, Mta.OPENSMTPD, Mta.EXIM);
        assertThat(results.get(3).host()).isEqualTo("mx");
        assertThat(parser.counters().lines(Mta.EXIM)).isEqualTo(1);
        assertThat(parser.counters().results(Mta.SENDMAIL)).isEqualTo(1);
        assertThat(parser.counters().skipped(SkipReason.OTHER_PROGRAM)).isEqualTo(1);
    }

    @Test
    void aForcedMtaSkipsTheOthersAndReadsCustomSyslogNames() {
        LogParser parser = parser(MtaChoice.POSTFIX, new ArrayList<>());
        assertThat(parser.accept(SENDMAIL)).isEmpty();
        assertThat(parser.accept(EXIM_SYSLOG)).isEmpty();
        assertThat(parser.accept(POSTFIX)).hasSize(1);
        assertThat(parser.accept(POSTFIX.replace("postfix/smtp", "mailout/smtp"))).as("syslog_name = mailout").hasSize(1);
        assertThat(parser.accept(POSTFIX.substring(POSTFIX.indexOf("7EE668039")))).as("a bare message").hasSize(1);
        assertThat(parser.counters().skipped(SkipReason.OTHER_PROGRAM)).isEqualTo(2);
    }

    @Test
    void withoutForcingAnUnknownProgramIsNotGuessed() {
        LogParser parser = parser(MtaChoice.AUTO, new ArrayList<>());
        assertThat(parser.accept(POSTFIX.replace("postfix/smtp", "mailout/smtp"))).isEmpty();
    }

    @Test
    void dockerNestedSyslogPrefixesAreUnwrapped() {
        LogParser parser = parser(MtaChoice.AUTO, new ArrayList<>());
        List<DeliveryResult> r = parser.accept("May 02 22:56:18 dockerhost docker[32360]: " + POSTFIX.replace("Jan  5", "May  2"));
        assertThat(r).singleElement().satisfies(d -> assertThat(d.host()).isEqualTo("mail"));
    }

    @Test
    void smtpdRejectsAreInboundRejectsNotDeliveryResults() {
        List<InboundReject> rejects = new ArrayList<>();
        LogParser parser = parser(MtaChoice.AUTO, rejects);
        assertThat(parser.accept("Jan 05 12:00:01 mail postfix/smtpd[4242]: NOQUEUE: reject: RCPT from 061238241086.static.ctinets.com[61.238.241.86]: "
                + "550 5.1.1 <toernooicommissie@example.com>: Recipient address rejected: User unknown in virtual mailbox table; "
                + "from=<wumt5@cchfdc.com> to=<toernooicommissie@example.com> proto=ESMTP helo=<ecsolved.com>")).isEmpty();
        assertThat(parser.accept("May  5 15:51:11 xxx postfix/postscreen[1148]: NOQUEUE: reject: RCPT from [216.245.194.173]:60591: 550 5.7.1 "
                + "Service unavailable; client [216.245.194.173] blocked using rbl.example.com; from=<spammer@example.com>, to=<goodguy@example.com>, proto=ESMTP, helo=<badguy.example.com>")).isEmpty();
        assertThat(parser.accept("Mar 11 23:27:54 server postfix-smo/submission/smtpd[22427]: 44JCRG5tYPzCqt2: reject: BDAT from signing-milter.example.com[192.0.2.109]: "
                + "550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce; from=<> to=<some@example.com> proto=ESMTP helo=<domain.tld>")).isEmpty();
        assertThat(rejects).hasSize(3);
        InboundReject first = rejects.get(0);
        assertThat(first.queueId()).isNull();
        assertThat(first.action()).isEqualTo("reject");
        assertThat(first.command()).isEqualTo("RCPT");
        assertThat(first.clientIp()).isEqualTo("61.238.241.86");
        assertThat(first.replyCode()).isEqualTo(550);
        assertThat(first.dsn()).isEqualTo("5.1.1");
        assertThat(first.diagnostic()).isEqualTo("550 5.1.1 <toernooicommissie@example.com>: Recipient address rejected: User unknown in virtual mailbox table");
        assertThat(first.sender()).isEqualTo("wumt5@cchfdc.com");
        assertThat(first.recipient()).isEqualTo("toernooicommissie@example.com");
        assertThat(first.helo()).isEqualTo("ecsolved.com");
        InboundReject postscreen = rejects.get(1);
        assertThat(postscreen.recipient()).isEqualTo("goodguy@example.com");
        assertThat(postscreen.diagnostic()).endsWith("blocked using rbl.example.com");
        assertThat(rejects.get(2).queueId()).isEqualTo("44JCRG5tYPzCqt2");
        assertThat(rejects.get(2).sender()).isEmpty();
        assertThat(parser.counters().inboundRejects()).isEqualTo(3);
        assertThat(parser.counters().results()).isZero();
    }
}
