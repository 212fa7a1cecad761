package dev.bouncewatch.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReasonNormalizerTest {

    private final ReasonNormalizer normalizer = ReasonNormalizer.standard();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            addresses | 554 5.1.1 <anna.1@gmail.com>: Recipient address rejected: User unknown | 554 5.1.1 <ben.99@web.de>: Recipient address rejected: User unknown
            gmail ids | 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp | 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser x9si58 - gsmtp
            ips and outlook hosts | 550 5.7.1 Client host [203.0.113.9] blocked using Spamhaus; see https://www.spamhaus.org/query/ip/203.0.113.9 [BN8NAM12FT053.eop-nam12.prod.protection.outlook.com] | 550 5.7.1 Client host [198.51.100.77] blocked using Spamhaus; see https://www.spamhaus.org/query/ip/198.51.100.77 [DM6NAM04FT011.eop-nam04.prod.protection.outlook.com]
            host with ip | connect to mx.example.org[192.0.2.25]:25: Connection timed out | connect to mail.other.example[2001:db8::25]:25: Connection timed out
            retry minutes | 451 4.7.1 Try again in 30 minutes | 451 4.7.1 Try again in 120 minutes
            hex queue ids | 250 2.0.0 Ok: queued as 4Xk2Lq3b9fz1 | 250 2.0.0 Ok: queued as 9Jd7Rt2cZ4mQ
            times | 421 4.7.0 Service busy since 12:34:56, try later | 421 4.7.0 Service busy since 03:01:02, try later
            whitespace | 550  5.1.1   user  unknown | 550 5.1.1 user unknown
            """)
    void variantsOfOneReasonGroupTogether(String what, String a, String b) {
        assertThat(normalizer.groupKey(a)).isEqualTo(normalizer.groupKey(b));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            reply codes | 550 5.1.1 <a@example.org>: User unknown | 450 5.1.1 <a@example.org>: User unknown
            enhanced codes | 552 5.2.2 Mailbox full | 552 5.2.1 Mailbox full
            provider codes | 421 4.7.0 [TSS04] Messages temporarily deferred | 421 4.7.0 [TSS01] Messages temporarily deferred
            multi-line codes | 421-4.7.28 Gmail has detected an unusual rate | 421-4.7.0 Gmail has detected an unusual rate
            """)
    void differentReasonsStayApart(String what, String a, String b) {
        assertThat(normalizer.groupKey(a)).isNotEqualTo(normalizer.groupKey(b));
    }

    @Test
    void showsWhatWasMasked() {
        assertThat(normalizer.normalize(
                "550 5.7.1 Client host [203.0.113.9] blocked; id=4Xk2Lq3b9fz1 at 12:00 for <a@b.example>, 3 times"))
                .isEqualTo("550 5.7.1 Client host [<ip>] blocked; id=<id> at <time> for <addr>, <n> times");
    }

    @Test
    void theWordCacheStaysCorrectWhenItStartsOver() {
        for (int i = 0; i < ReasonNormalizer.WORD_CACHE_SIZE * 2 + 7; i++) {
            assertThat(normalizer.normalize("550 5.1.1 <u" + i + "@example.org> unknown"))
                    .isEqualTo("550 5.1.1 <addr> unknown");
        }
        assertThat(normalizer.normalize("451 4.7.1 retry in 30 s")).isEqualTo("451 4.7.1 retry in <n> s");
    }

    @Test
    void nullAndBlankAreEmpty() {
        assertThat(normalizer.normalize(null)).isEmpty();
        assertThat(normalizer.normalize(" \t ")).isEmpty();
    }

    @Test
    void aBadMaskFileNamesFileLineAndField() {
        String tsv = "# comment\nok\t\\d+\t<n>\nbroken\t[unclosed\t<x>\n";
        assertThatThrownBy(() -> ReasonNormalizer.load("masks.tsv",
                new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("masks.tsv:3")
                .hasMessageContaining("regex")
                .hasMessageContaining("broken");
        assertThatThrownBy(() -> ReasonNormalizer.load("masks.tsv",
                new ByteArrayInputStream("only\ttwo\n".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("masks.tsv:1").hasMessageContaining("expected 3 tab-separated fields");
    }
}
