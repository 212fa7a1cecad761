package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input is skipped and counted, never an exception, never unbounded memory. */
class RobustnessTest {

    private static final String DELIVERY = "Jan  5 12:00:01 mail postfix/smtp[4242]: 7EE668039: to=<admin@example.com>, "
            + "relay=127.0.0.1[127.0.0.1]:2525, delay=3.6, delays=0.2/0.02/0.04/3.3, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 153053D)";

    private static LogParser parser() {
        LogParser p = new LogParser(ParserSettings.defaults().withZone(ZoneOffset.UTC), Correlator.withDefaults(), r -> { });
        p.startSource(2024);
        return p;
    }

    @Test
    void garbageAndOtherProgramsAreSkippedAndCounted() {
        LogParser parser = parser();
        parser.accept("");
        parser.accept("ir/)");
        parser.accept("\u0000\u0001\u0002 binary junk");
        parser.accept("Jan  5 12:00:01 mail dovecot[99]: imap(user): Logged out in=10 out=20");
        parser.accept("Jan  5 12:00:01 mail CRON[1]: (root) CMD (run-parts /etc/cron.hourly)");
        parser.accept("Nov 19 13:39:04 email postfix/smtp[10373]: 3A3D26C44CC: to=<user@domain.tld> (in reply to RCPT TO command)");
        assertThat(parser.accept(DELIVERY)).hasSize(1);
        ParseCounters c = parser.counters();
        assertThat(c.lines()).isEqualTo(7);
        assertThat(c.results()).isEqualTo(1);
        assertThat(c.skipped(SkipReason.GARBAGE)).isEqualTo(3);
        assertThat(c.skipped(SkipReason.OTHER_PROGRAM)).isEqualTo(2);
        assertThat(c.skipped(SkipReason.TRUNCATED)).isEqualTo(1);
        assertThat(c.summary()).isEqualTo("7 lines, 1 results, 6 skipped");
    }

    @Test
    void aLineOverTheLimitIsSkipped() {
        LogParser parser = new LogParser(new ParserSettings(MtaChoice.AUTO, ZoneOffset.UTC, 1000), Correlator.withDefaults(), r -> { });
        assertThat(parser.accept(DELIVERY.replace("Ok: queued", "x".repeat(2000)))).isEmpty();
        assertThat(parser.counters().skipped(SkipReason.TOO_LONG)).isEqualTo(1);
        assertThat(parser.accept(DELIVERY)).hasSize(1);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // safety net only: a backtracking regex would hang here
    void hugeLinesAreParsedWithoutBacktracking() {
        LogParser parser = parser();
        String longReply = "550-5.7.1 " + "blocked (see policy) ".repeat(5000);
        String line = "Jan  5 12:00:01 mail postfix/smtp[1]: 4E74613FE76: to=<a@gmail.com>, relay=mx[1.2.3.4]:25, delay=1.9, "
                + "dsn=5.7.1, status=bounced (host mx[1.2.3.4] said: " + longReply + "550 5.7.1 end (in reply to end of DATA command))";
        assertThat(line.length()).isGreaterThan(100_000);
        List<DeliveryResult> r = parser.accept(line);
        assertThat(r).singleElement().satisfies(d -> {
            assertThat(d.replyCode()).isEqualTo(550);
            assertThat(d.diagnostic()).endsWith("blocked (see policy) end").doesNotContain("550-5.7.1");
        });
        for (String mean : List.of("Jan  5 12:00:01 mail postfix/smtp[1]: AAAAAA: to=<" + "<".repeat(50_000),
                "Jan  5 12:00:01 mail postfix/smtp[1]: AAAAAA: to=<a>, " + "k=v, ".repeat(20_000),
                "2020-06-19 04:54:02 1jmFYj-00039V-QX ** " + "a: ".repeat(30_000),
                "2020-06-19 04:54:02 1jmFYj-00039V-QX == x R=r " + "H=h [1 ".repeat(20_000),
                "Jan  5 12:00:01 mail sm-mta[1]: m6JDSZoG011380: to=" + ",".repeat(50_000) + " stat=",
                "Jan  5 12:00:01 mail smtpd[1]: 5df87c9ffd0e785d mta delivery " + "a=\"".repeat(30_000))) {
            assertThat(parser.accept(mean).size()).as("at most one result, no exception").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void randomBytesNeverThrow() throws IOException {
        Random random = new Random(42);
        LogParser parser = parser();
        String[] seeds = {DELIVERY, "2020-06-19 04:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out",
            "Jul  6 06:01:48 ams-1 smtpd[75295]: 5df87c9ffd0e785d mta delivery evpid=f6e94209918f7e7b from=<g@p.org> to=<g@gmail.com> rcpt=<-> source=\"1.2.3.4\" relay=\"1.2.3.5 (x)\" delay=2s result=\"Ok\" stat=\"250 2.0.0 OK\"",
            "Jul 19 13:28:36 vs184010 sm-mta[11383]: m6JDSZoG011380: to=<mail@wzuup.com>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120553, relay=g. [209.85.129.27], dsn=2.0.0, stat=Sent (OK)"};
        for (int i = 0; i < 20_000; i++) {
            char[] chars = seeds[i % seeds.length].toCharArray();
            int cut = random.nextInt(chars.length + 1);
            for (int k = 0; k < 3; k++) {
                chars[random.nextInt(chars.length)] = (char) random.nextInt(128);
            }
            parser.accept(new String(chars, 0, cut)); // any exception fails the test
        }
        assertThat(parser.counters().lines()).isEqualTo(20_000);
    }

    @Test
    void invalidUtf8IsReplacedCountedAndStillParsed() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(DELIVERY.replace("admin@", "adm\u00e9n@").getBytes(StandardCharsets.ISO_8859_1)); // a Latin-1 byte: invalid UTF-8
        bytes.write('\n');
        bytes.write(new byte[] {(byte) 0xff, (byte) 0xfe, 'x', '\r', '\n'});
        bytes.write(DELIVERY.getBytes(StandardCharsets.UTF_8));
        LogLineReader reader = LogLineReader.open(new ByteArrayInputStream(bytes.toByteArray()), 10_000);
        LogParser parser = parser();
        List<DeliveryResult> results = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            results.addAll(parser.accept(line));
        }
        assertThat(results).extracting(DeliveryResult::recipient).containsExactly("adm\uFFFDn@example.com", "admin@example.com");
        assertThat(parser.counters().invalidUtf8Lines()).isEqualTo(2);
        assertThat(parser.counters().lines()).isEqualTo(3);
    }

    @Test
    void theReaderDropsOverlongLinesWithoutBufferingThem() throws IOException {
        String input = "first\n" + "y".repeat(300_000) + "\nsecond\r\nlast without newline";
        LogLineReader reader = LogLineReader.open(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), 1000);
        assertThat(reader.readLine()).isEqualTo("first");
        assertThat(reader.readLine()).isEqualTo("second");
        assertThat(reader.tooLongLines()).isEqualTo(1);
        assertThat(reader.readLine()).isEqualTo("last without newline");
        assertThat(reader.readLine()).isNull();
    }

    @Test
    void theReaderUnzipsGzipByItsMagicBytes() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
        }
        LogLineReader reader = LogLineReader.open(new ByteArrayInputStream(gz.toByteArray()), 1000);
        assertThat(reader.readLine()).isEqualTo("one");
        assertThat(reader.readLine()).isEqualTo("two");
        assertThat(reader.readLine()).isNull();
    }
}
