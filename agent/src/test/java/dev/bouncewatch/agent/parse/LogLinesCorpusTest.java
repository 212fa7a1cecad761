package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every line of the shared corpus (corpus/log-lines.tsv, real lines of the four MTAs with hand-checked
 * expectations) through a fresh parser: '-' rows must give nothing, the others exactly the listed fields.
 * Each line is judged alone, as labelled; correlation across lines is tested in CorrelationTest.
 */
class LogLinesCorpusTest {

    /** The corpus's status words (the MTA's own, or sent/deferred/bounced/expired) and the status each may map to. */
    private static final Map<String, Set<DeliveryStatus>> STATUS_WORDS = Map.ofEntries(
            Map.entry("sent", Set.of(DeliveryStatus.DELIVERED)),
            Map.entry("deliverable", Set.of(DeliveryStatus.DELIVERED)),
            Map.entry("suppressed", Set.of(DeliveryStatus.DELIVERED)),
            Map.entry("deferred", Set.of(DeliveryStatus.DEFERRED)),
            Map.entry("SOFTBOUNCE", Set.of(DeliveryStatus.DEFERRED)),
            // Exim's "** x: retry timeout exceeded" is a failure line that is the recipient's expiry
            Map.entry("bounced", Set.of(DeliveryStatus.BOUNCED, DeliveryStatus.EXPIRED)),
            Map.entry("undeliverable", Set.of(DeliveryStatus.BOUNCED)),
            Map.entry("undeliverable-but-not-cached", Set.of(DeliveryStatus.BOUNCED)),
            Map.entry("expired", Set.of(DeliveryStatus.EXPIRED)),
            Map.entry("force-expired", Set.of(DeliveryStatus.EXPIRED)));

    record Row(int lineNo, String mta, String line, String queueId, String recipient, String status, String dsn,
               String replyCode, String relay, String stage) {
        @Override
        public String toString() {
            return "tsv line " + lineNo + " (" + mta + "): " + (line.length() > 90 ? line.substring(0, 90) + "..." : line);
        }
    }

    static Stream<Arguments> rows() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        try (InputStream in = LogLinesCorpusTest.class.getResourceAsStream("/corpus/log-lines.tsv")) {
            assertThat(in).as("corpus/log-lines.tsv on the test classpath").isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = reader.readLine();
            assertThat(header).startsWith("mta\tline\tqueue_id");
            String l;
            int lineNo = 1;
            while ((l = reader.readLine()) != null) {
                lineNo++;
                if (l.startsWith("#") || l.isBlank()) {
                    continue;
                }
                String[] f = l.split("\t", -1);
                assertThat(f).as("tsv line %d has 9 fields", lineNo).hasSize(9);
                rows.add(Arguments.of(new Row(lineNo, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8])));
            }
        }
        assertThat(rows).as("258 labelled lines").hasSize(258);
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void lineGivesExactlyTheLabelledFields(Row row) {
        LogParser parser = new LogParser(ParserSettings.defaults().withZone(ZoneOffset.UTC), Correlator.withDefaults(), r -> { });
        parser.startSource(2024);
        List<DeliveryResult> results = parser.accept(row.line());

        if (row.status().equals("-")) {
            assertThat(results).as("a '-' row yields no result").isEmpty();
            return;
        }
        List<String> recipients = row.recipient().isEmpty() ? List.of("") : List.of(row.recipient().split(","));
        assertThat(results).as("one result per recipient").hasSize(recipients.size());
        assertThat(results.stream().map(r -> r.recipient() == null ? "" : r.recipient()).collect(Collectors.toList()))
                .isEqualTo(recipients);
        for (DeliveryResult r : results) {
            assertThat(r.mta()).isEqualTo(Mta.valueOf(row.mta().toUpperCase(java.util.Locale.ROOT)));
            assertThat(r.queueId()).isEqualTo(row.queueId());
            assertThat(STATUS_WORDS).containsKey(row.status());
            assertThat(r.status()).isIn(STATUS_WORDS.get(row.status()));
            if (r.mta() == Mta.POSTFIX || r.mta() == Mta.EXIM) {
                assertThat(r.mtaStatus()).as("mtaStatus").isEqualTo(row.status());
            }
            assertThat(nullToEmpty(r.dsn())).as("dsn").isEqualTo(row.dsn());
            assertThat(r.replyCode() == null ? "" : r.replyCode().toString()).as("replyCode").isEqualTo(row.replyCode());
            assertThat(nullToEmpty(r.relay())).as("relay").isEqualTo(row.relay());
            assertThat(r.stage()).as("stage").isEqualTo(stageOf(row.stage()));
            if (r.replyCode() != null) {
                assertThat(r.diagnostic()).as("diagnostic starts with the reply code").startsWith(row.replyCode());
            }
        }
        assertThat(parser.counters().results()).isEqualTo(results.size());
        assertThat(parser.counters().skipped()).isZero();
    }

    /** The corpus's stage words; a rejected greeting is CONNECT in our vocabulary (no session yet). */
    private static SmtpStage stageOf(String corpusStage) {
        switch (corpusStage) {
            case "greeting": return SmtpStage.CONNECT;
            case "eod": return SmtpStage.DATA_END;
            default: return SmtpStage.fromWireName(corpusStage);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
