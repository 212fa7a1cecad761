package dev.bouncewatch.agent.suppress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.store.Suppression;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SuppressionCsvTest {

    private static final Instant T = Instant.parse("2026-11-29T06:00:00Z");

    @Test
    void writesEveryColumnInHeaderOrder() throws IOException {
        Suppression s = new Suppression("jane@example.com", Suppression.ORIGIN_BOUNCE,
                "userunknown: 550 5.1.1 from mx.example.com", "userunknown", T, T.plusSeconds(60), 42L, "5.1.1", 550,
                "550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown", 1);
        String csv = write(s);
        assertThat(csv).isEqualTo(SuppressionCsv.HEADER + "\r\n"
                + "jane@example.com,bounce,userunknown,userunknown: 550 5.1.1 from mx.example.com,"
                + "2026-11-29T06:00:00Z,5.1.1,550\r\n");
        assertThat(csv.split("\r\n")[1].split(",", -1)).hasSameSizeAs(SuppressionCsv.HEADER.split(","));
    }

    @Test
    void quotesCommasQuotesAndLineBreaksAndLeavesAbsentFieldsEmpty() throws IOException {
        Suppression s = new Suppression("a@example.com", Suppression.ORIGIN_MANUAL, "asked, by \"phone\"\r\nat noon",
                null, T, T, null, null, null, null, 1);
        assertThat(write(s)).endsWith("\r\na@example.com,manual,,\"asked, by \"\"phone\"\"\r\nat noon\","
                + "2026-11-29T06:00:00Z,,\r\n");
    }

    @Test
    void remoteTextThatASpreadsheetWouldRunAsAFormulaIsDefusedButTheAddressIsNot() throws IOException {
        Suppression s = new Suppression("-a@example.com", Suppression.ORIGIN_BOUNCE, "=HYPERLINK(\"http://evil\")",
                "@SUM(1+1)", T, T, 1L, "+5.1.1", 550, "d", 1);
        assertThat(write(s)).endsWith("\r\n-a@example.com,bounce,'@SUM(1+1),\"'=HYPERLINK(\"\"http://evil\"\")\","
                + "2026-11-29T06:00:00Z,'+5.1.1,550\r\n");
    }

    private static String write(Suppression s) throws IOException {
        StringWriter out = new StringWriter();
        SuppressionCsv csv = new SuppressionCsv(out);
        csv.header();
        csv.row(s);
        return out.toString();
    }
}
