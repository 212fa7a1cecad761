package dev.bouncewatch.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import dev.bouncewatch.agent.parse.LogParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entries in the shapes {@code journalctl --output=json} writes, rebuilt into lines the agent's parser reads. */
class JournalEntryFormatterTest {

    private final JournalEntryFormatter formatter = new JournalEntryFormatter();

    static List<String> fixture() throws IOException {
        try (InputStream in = JournalEntryFormatterTest.class.getResourceAsStream("/journal/postfix-entries.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private JournalEntryFormatter.Entry format(String json) throws JournalEntryFormatter.InvalidEntryException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return formatter.format(bytes, bytes.length);
    }

    @Test
    void aPostfixEntryBecomesALineTheParserTurnsIntoADeliveryResult() throws Exception {
        JournalEntryFormatter.Entry entry = format(fixture().get(0));

        assertThat(entry.cursor()).startsWith("s=6ddf1a57bdbc4265bc9653d925e7ef01;i=1;");
        // _SOURCE_REALTIME_TIMESTAMP (when Postfix logged it) wins over the reception time
        assertThat(entry.line()).startsWith("2023-11-14T22:13:20.123371Z mail postfix/smtp[2314]: 4SXk2N1mZ8z9vWq: to=<nobody@example.org>");

        List<DeliveryResult> results = LogParser.withDefaults().accept(entry.line());
        assertThat(results).hasSize(1);
        DeliveryResult r = results.get(0);
        assertThat(r.mta()).isEqualTo(Mta.POSTFIX);
        assertThat(r.status()).isEqualTo(DeliveryStatus.BOUNCED);
        assertThat(r.recipient()).isEqualTo("nobody@example.org");
        assertThat(r.queueId()).isEqualTo("4SXk2N1mZ8z9vWq");
        assertThat(r.host()).isEqualTo("mail");
        assertThat(r.time()).isEqualTo(Instant.ofEpochSecond(1700000000L, 123371000L));
        assertThat(r.replyCode()).isEqualTo(550);
        assertThat(r.dsn()).isEqualTo("5.1.1");
        assertThat(r.stage()).isEqualTo(SmtpStage.RCPT);
        assertThat(r.relay()).isEqualTo("mx.example.org[192.0.2.25]:25");
    }

    @Test
    void aByteArrayMessageIsDecodedAsUtf8WithReplacementAndStillParsed() throws Exception {
        JournalEntryFormatter.Entry entry = format(fixture().get(1)); // Latin-1 "für": not UTF-8, so journald stored bytes

        assertThat(entry.line()).contains("Postfach voll f\uFFFDr kunde").startsWith("2023-11-14T22:13:21.123371Z mail postfix/smtp[2314]: ");
        List<DeliveryResult> results = LogParser.withDefaults().accept(entry.line());
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
            assertThat(r.recipient()).isEqualTo("kunde@example.de");
            assertThat(r.replyCode()).isEqualTo(452);
        });
    }

    @Test
    void aMultiValuedMessageIsJoinedWithASpace() throws Exception {
        assertThat(format(fixture().get(2)).line()).endsWith("postfix/qmgr[1201]: 4SXk2N1mZ8z9vWq: removed (second value)");
        // each value may itself be a byte array; null values are left out
        assertThat(format("{\"MESSAGE\":[\"a\",null,[98,99]],\"_HOSTNAME\":\"h\",\"SYSLOG_IDENTIFIER\":\"x\"}").line())
                .endsWith(" h x: a bc");
    }

    @Test
    void anEntryWithoutMessageOrWithANullOneHasACursorButNoLine() throws Exception {
        JournalEntryFormatter.Entry missing = format(fixture().get(3));
        JournalEntryFormatter.Entry tooLarge = format(fixture().get(4));

        assertThat(missing.line()).isNull();
        assertThat(missing.cursor()).contains(";i=4;");
        assertThat(tooLarge.line()).isNull();
        assertThat(tooLarge.cursor()).contains(";i=5;");
    }

    @Test
    void fallsBackToReceptionTimePidAndCommWhenTheSyslogFieldsAreMissing() throws Exception {
        String line = format("{\"__REALTIME_TIMESTAMP\":\"1700000000000001\",\"_HOSTNAME\":\"mx1\",\"_COMM\":\"exim4\","
                + "\"_PID\":\"77\",\"MESSAGE\":\"hello\"}").line();

        assertThat(line).isEqualTo("2023-11-14T22:13:20.000001Z mx1 exim4[77]: hello");
    }

    @Test
    void withoutPidHostOrTimeTheLineStillHasTheShapeTheParserNeeds() throws Exception {
        String line = format("{\"SYSLOG_IDENTIFIER\":\"postfix/smtp\",\"MESSAGE\":\"x\"}").line();

        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z localhost postfix/smtp: x");
    }

    @Test
    void lineBreaksInAMessageBecomeSpacesAndOddTagsBecomeOneWord() throws Exception {
        String line = format("{\"__REALTIME_TIMESTAMP\":\"0\",\"_HOSTNAME\":\"my host\",\"SYSLOG_IDENTIFIER\":\"a b:c\","
                + "\"SYSLOG_PID\":\"12x\",\"_PID\":\"9\",\"MESSAGE\":\"one\\ntwo\\r\\nthree\"}").line();

        assertThat(line).isEqualTo("1970-01-01T00:00:00.000000Z my_host a_b_c[9]: one two  three");
    }

    @Test
    void aLineAnMtaWroteToStdoutWithItsOwnPrefixIsPassedThrough() throws Exception {
        String own = "Nov 14 22:13:20 mail postfix/smtp[2314]: 4SXk2N1mZ8z9vWq: to=<a@example.org>, status=sent (250 ok)";
        assertThat(format("{\"_TRANSPORT\":\"stdout\",\"SYSLOG_IDENTIFIER\":\"postfix\",\"MESSAGE\":\"" + own + "\"}").line())
                .isEqualTo(own);
        // the same text through syslog is a message like any other
        assertThat(format("{\"_TRANSPORT\":\"syslog\",\"SYSLOG_IDENTIFIER\":\"postfix\",\"MESSAGE\":\"" + own + "\"}").line())
                .endsWith(" postfix: " + own);
    }

    @Test
    void invalidJsonAndNonObjectsAreRejected() {
        assertThatThrownBy(() -> format("{\"MESSAGE\":\"unterminated")).isInstanceOf(JournalEntryFormatter.InvalidEntryException.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> format("[1,2,3]")).isInstanceOf(JournalEntryFormatter.InvalidEntryException.class)
                .hasMessage("not a JSON object");
        assertThatThrownBy(() -> format("-- No entries --")).isInstanceOf(JournalEntryFormatter.InvalidEntryException.class);
    }

    @Test
    void recognisesLinesThatCarryTheirOwnTimestamp() {
        assertThat(JournalEntryFormatter.hasOwnTimestamp("Jan  5 12:00:01 mail postfix/smtp[1]: x")).isTrue();
        assertThat(JournalEntryFormatter.hasOwnTimestamp("Jan 05 12:00:01 mail postfix/smtp[1]: x")).isTrue();
        assertThat(JournalEntryFormatter.hasOwnTimestamp("2024-01-05T12:00:01.1+01:00 mail x: y")).isTrue();
        assertThat(JournalEntryFormatter.hasOwnTimestamp("warning: dict_nis_init: NIS domain name not set")).isFalse();
        assertThat(JournalEntryFormatter.hasOwnTimestamp("Job 12 started at 12:00:01 today")).isFalse();
    }
}
