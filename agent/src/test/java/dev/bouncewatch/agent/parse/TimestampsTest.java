package dev.bouncewatch.agent.parse;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static SyslogLine prefix(String line, ZoneId zone, YearInference years) {
        return new SyslogPrefixParser(new TimestampParser(new LocalTimeConverter(zone), years)).parse(line);
    }

    @Test
    void traditionalSyslogGetsTheReferenceYearAndTheConfiguredZone() {
        SyslogLine s = prefix("Jun  3 10:40:57 mail postfix/qmgr[1005]: 4AA091855DA0: removed", BERLIN,
                YearInference.fromReference(LocalDate.of(2024, 7, 1)));
        assertThat(s.time()).isEqualTo(Instant.parse("2024-06-03T08:40:57Z")); // CEST = UTC+2
        assertThat(s.host()).isEqualTo("mail");
        assertThat(s.program()).isEqualTo("postfix/qmgr");
        assertThat(s.message()).isEqualTo("4AA091855DA0: removed");
    }

    @Test
    void aLogWrittenInJanuaryThatStartsInDecemberBelongsToLastYear() {
        YearInference years = YearInference.fromReference(LocalDate.of(2025, 1, 2));
        assertThat(prefix("Dec 31 23:59:58 mx postfix/smtp[1]: x", ZoneOffset.UTC, years).time())
                .isEqualTo(Instant.parse("2024-12-31T23:59:58Z"));
        assertThat(prefix("Jan  1 00:00:03 mx postfix/smtp[1]: x", ZoneOffset.UTC, years).time())
                .as("rolls over into the new year").isEqualTo(Instant.parse("2025-01-01T00:00:03Z"));
        assertThat(prefix("Dec 31 23:59:59 mx postfix/smtp[1]: late line", ZoneOffset.UTC, years).time())
                .as("a straggler from December stays in the old year").isEqualTo(Instant.parse("2024-12-31T23:59:59Z"));
        assertThat(prefix("Jan  1 00:00:04 mx postfix/smtp[1]: x", ZoneOffset.UTC, years).time())
                .isEqualTo(Instant.parse("2025-01-01T00:00:04Z"));
    }

    @Test
    void anExplicitYearIsTheFirstLinesYearAndRollsOverFromThere() {
        YearInference years = YearInference.startingIn(2019);
        assertThat(prefix("Nov 30 10:00:00 mx sm-mta[1]: x", ZoneOffset.UTC, years).time()).isEqualTo(Instant.parse("2019-11-30T10:00:00Z"));
        assertThat(prefix("Feb  1 10:00:00 mx sm-mta[1]: x", ZoneOffset.UTC, years).time()).isEqualTo(Instant.parse("2020-02-01T10:00:00Z"));
    }

    @Test
    void leapDayIsValidOnlyInLeapYears() {
        assertThat(prefix("Feb 29 12:00:00 mx postfix/smtp[1]: x", ZoneOffset.UTC, YearInference.startingIn(2024)).time())
                .isEqualTo(Instant.parse("2024-02-29T12:00:00Z"));
        SyslogLine invalid = prefix("Feb 29 12:00:00 mx postfix/smtp[1]: x", ZoneOffset.UTC, YearInference.startingIn(2023));
        assertThat(invalid).as("the line is kept").isNotNull();
        assertThat(invalid.time()).as("but the impossible date is not invented").isNull();
    }

    @Test
    void maillogFileZeroPaddedDayAndUnpaddedDayBothRead() {
        YearInference years = YearInference.startingIn(2024);
        assertThat(prefix("Jan 05 12:00:01 mail postfix/pipe[4242]: x", ZoneOffset.UTC, years).time()).isEqualTo(Instant.parse("2024-01-05T12:00:01Z"));
        assertThat(prefix("Mar 7 02:09:33 server postfix/smtpd[27246]: x", ZoneOffset.UTC, years).time()).isEqualTo(Instant.parse("2024-03-07T02:09:33Z"));
    }

    @Test
    void rfc3339WithFractionAndOffsetIsExact() {
        SyslogLine s = prefix("2024-01-05T12:00:01.123456+01:00 mail postfix/smtp[4242]: x", BERLIN, YearInference.startingIn(1999));
        assertThat(s.time()).isEqualTo(Instant.parse("2024-01-05T11:00:01.123456Z"));
        assertThat(prefix("2020-01-30T06:26:05.404714+09:00 myhost postfix/qmgr[1]: x", BERLIN, YearInference.startingIn(1999)).time())
                .isEqualTo(Instant.parse("2020-01-29T21:26:05.404714Z"));
        assertThat(prefix("2022-01-08T19:42:13Z mail postfix/qmgr[659]: x", BERLIN, YearInference.startingIn(1999)).time())
                .isEqualTo(Instant.parse("2022-01-08T19:42:13Z"));
        assertThat(prefix("2022-01-08T19:42:13-0530 mail postfix/qmgr[659]: x", BERLIN, YearInference.startingIn(1999)).time())
                .isEqualTo(Instant.parse("2022-01-09T01:12:13Z"));
    }

    @Test
    void localisedMonthNamesFromJournalctlAreRead() {
        YearInference years = YearInference.startingIn(2024);
        assertThat(prefix("Mär 08 20:48:47 webserver smtpd[88171]: x", ZoneOffset.UTC, years).time()).isEqualTo(Instant.parse("2024-03-08T20:48:47Z"));
        assertThat(prefix("Απρ 15 12:20:28 mx2 postfix/submission/smtpd[6833]: x", ZoneOffset.UTC, years).time()).isEqualTo(Instant.parse("2024-04-15T12:20:28Z"));
    }

    @Test
    void anUnknownMonthKeepsTheLineWithoutATime() {
        SyslogLine s = prefix("Xyz 15 12:20:28 mx2 postfix/smtp[1]: x", ZoneOffset.UTC, YearInference.startingIn(2024));
        assertThat(s.time()).isNull();
        assertThat(s.program()).isEqualTo("postfix/smtp");
    }

    @Test
    void facilityTagsRelayedHostsAndMissingHostsAreSplitCorrectly() {
        YearInference years = YearInference.startingIn(2024);
        SyslogLine tagged = prefix("Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: 55HIbcGI002794: x", ZoneOffset.UTC, years);
        assertThat(tagged.host()).isEqualTo("robin");
        assertThat(tagged.program()).isEqualTo("sm-mta");
        SyslogLine relayed = prefix("Jan 25 21:25:22 eugeni/eugeni postfix/smtp[558]: x", ZoneOffset.UTC, years);
        assertThat(relayed.host()).isEqualTo("eugeni/eugeni");
        SyslogLine hostless = prefix("Jan 25 21:25:22 postfix/smtp[558]: DBF82E05E7: x", ZoneOffset.UTC, years);
        assertThat(hostless.host()).isNull();
        assertThat(hostless.program()).isEqualTo("postfix/smtp");
        assertThat(hostless.message()).isEqualTo("DBF82E05E7: x");
    }

    @Test
    void eximOwnTimestampsWithAndWithoutZone() {
        TimestampParser t = new TimestampParser(new LocalTimeConverter(ZoneId.of("America/Chicago")), YearInference.startingIn(1999));
        assertThat(t.readExim("2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= x", 0)).isEqualTo(19);
        assertThat(t.time()).as("no zone: the configured one (CDT, UTC-5)").isEqualTo(Instant.parse("2020-06-19T09:51:49Z"));
        t.readExim("2020-06-20 01:32:57 +0200 [789] 1jmKso-0009d4-Uf ** x", 0);
        assertThat(t.time()).isEqualTo(Instant.parse("2020-06-19T23:32:57Z"));
        t.readExim("2020-06-20 02:32:57 -06:00 1jmKso-0009d4-Uf ** x", 0);
        assertThat(t.time()).isEqualTo(Instant.parse("2020-06-20T08:32:57Z"));
        t.readExim("2020-06-20 02:32:57.250 +0000 1jmKso-0009d4-Uf ** x", 0);
        assertThat(t.time()).as("+millisec").isEqualTo(Instant.parse("2020-06-20T02:32:57.250Z"));
    }

    @Test
    void eximLinesThroughTheParserUseTheirOwnZone() {
        LogParser parser = new LogParser(ParserSettings.defaults().withZone(ZoneOffset.UTC), Correlator.withDefaults(), r -> { });
        var results = parser.accept("2020-06-20 01:32:57 +0200 [789] 1jmKso-0009d4-Uf ** molly@zee.corp R=dnslookup T=remote_smtp "
                + "H=mail.zee.corp [3.3.3.3]: SMTP error from remote mail server after end of data: 554 5.2.0 Mailbox Full");
        assertThat(results).singleElement().satisfies(r -> assertThat(r.time()).isEqualTo(Instant.parse("2020-06-19T23:32:57Z")));
    }

    @Test
    void notASyslogLine() {
        YearInference years = YearInference.startingIn(2024);
        assertThat(prefix("ir/)", ZoneOffset.UTC, years)).isNull();
        assertThat(prefix("", ZoneOffset.UTC, years)).isNull();
        assertThat(prefix("Jan  5 12:00:01", ZoneOffset.UTC, years)).isNull();
        assertThat(prefix("Jan  5 12:00:01 host no tag here", ZoneOffset.UTC, years)).isNull();
        assertThat(prefix("2024-13-45T99:99:99Z host prog[1]: x", ZoneOffset.UTC, years).time()).isNull();
    }
}
