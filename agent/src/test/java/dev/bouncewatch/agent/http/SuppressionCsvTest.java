package dev.bouncewatch.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.store.Suppression;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SuppressionCsvTest {

    private static final Instant T = Instant.parse("2026-11-29T06:00:00Z");

    @Test
    void writesEveryColumnInHeaderOrder() {
        Suppression s = new Suppression("jane@example.com", Suppression.ORIGIN_BOUNCE,
                "userunknown: 550 5.1.1 from mx.example.com", "userunknown", T, T.plusSeconds(60), 42L, "5.1.1", 550,
                "550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown", 1);
        assertThat(SuppressionCsv.row(s)).isEqualTo("jane@example.com,bounce,userunknown: 550 5.1.1 from mx.example.com,"
                + "userunknown,2026-11-29T06:00:00Z,2026-11-29T06:01:00Z,1,5.1.1,550,"
                + "550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown,42");
        assertThat(SuppressionsEndpoint.CSV_COLUMNS).hasSize(SuppressionCsv.row(s).split(",", -1).length);
    }

    @Test
    void quotesCommasQuotesAndLineBreaks() {
        Suppression s = new Suppression("a@example.com", Suppression.ORIGIN_MANUAL, "asked, by \"phone\"", null, T, T,
                null, null, null, "line one\r\nline two", 1);
        assertThat(SuppressionCsv.row(s)).isEqualTo("a@example.com,manual,\"asked, by \"\"phone\"\"\",,"
                + "2026-11-29T06:00:00Z,2026-11-29T06:00:00Z,1,,,\"line one\r\nline two\",");
    }

    @Test
    void remoteTextThatASpreadsheetWouldRunAsAFormulaIsDefused() {
        Suppression s = new Suppression("a@example.com", Suppression.ORIGIN_BOUNCE, "=HYPERLINK(\"http://evil\")",
                "userunknown", T, T, 1L, "5.1.1", 550, "@SUM(1+1)", 1);
        String row = SuppressionCsv.row(s);
        assertThat(row).contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",").contains(",'@SUM(1+1),");
    }

    @Test
    void printableKeepsOneValueOnOneLine() {
        assertThat(SuppressionCsv.printable("a\nb\u2028c@example.com")).isEqualTo("a?b?c@example.com");
    }
}
