package dev.bouncewatch.agent.suppress;

import static dev.bouncewatch.agent.store.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.agent.store.Migrations;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.Suppression;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionListTest {

    @TempDir
    Path dir;
    Store store;
    SuppressionList list;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(dir.resolve("l.db"), Migrations.builtIn(), Clock.fixed(T0, ZoneOffset.UTC));
        list = new SuppressionList(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void addValidatesLowerCasesAndKeepsAnExistingEntry() throws Exception {
        Suppression added = list.add(" Jane@Example.COM ", "asked to be removed\nby phone");
        assertThat(added.address()).isEqualTo("jane@example.com");
        assertThat(added.origin()).isEqualTo(Suppression.ORIGIN_MANUAL);
        assertThat(added.reason()).isEqualTo("asked to be removed by phone");
        assertThat(added.createdAt()).isEqualTo(T0);
        assertThat(list.find("JANE@example.com")).contains(added);

        assertThat(list.add("jane@example.com", "again")).isEqualTo(added);
        assertThat(list.add("joe@example.com", "  ").reason()).isEqualTo(SuppressionList.DEFAULT_REASON);
        assertThatThrownBy(() -> list.add("not an address", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an address");
        assertThat(store.reader().suppressionCount()).isEqualTo(2);
    }

    @Test
    void addAllAddsInOneGoAndRefusesTheWholeListForOneBadAddress() throws Exception {
        Suppression before = list.add("old@example.com", "earlier");
        List<Suppression> entries = list.addAll(List.of("New@Example.com", "old@example.com"), "bulk");
        assertThat(entries).extracting(Suppression::address).containsExactly("new@example.com", "old@example.com");
        assertThat(entries.get(0).reason()).isEqualTo("bulk");
        assertThat(entries.get(1)).isEqualTo(before);
        assertThatThrownBy(() -> list.addAll(List.of("fine@example.com", "bad address"), "bulk"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(list.find("fine@example.com")).isEmpty();
        assertThat(store.reader().suppressionCount()).isEqualTo(2);
    }

    @Test
    void removeSaysWhetherTheAddressWasListed() throws Exception {
        list.add("a@example.com", null);
        assertThat(list.remove("A@EXAMPLE.com")).isTrue();
        assertThat(list.remove("a@example.com")).isFalse();
        assertThat(list.remove("")).isFalse();
        assertThat(list.find("a@example.com")).isEmpty();
    }

    @Test
    void csvQuotesHostileTextPerRfc4180AndDefusesFormulas() throws Exception {
        store.write(tx -> tx.suppress(new Suppression("evil@example.com", Suppression.ORIGIN_BOUNCE,
                "=HYPERLINK(\"http://x\",\"click\"), then \"quote\"\r\nnext line", "userunknown", T0, T0, 7L,
                "5.1.1", 550, "d", 1)));
        store.write(tx -> tx.suppress(new Suppression("plain@example.com", Suppression.ORIGIN_MANUAL, "simple reason",
                null, T0.plusSeconds(1), T0.plusSeconds(1), null, null, null, null, 0)));
        store.write(tx -> tx.suppress(new Suppression("+start@example.com", Suppression.ORIGIN_MANUAL,
                "@SUM(1+1), -2", null, T0, T0, null, null, null, null, 0)));

        StringWriter out = new StringWriter();
        assertThat(list.exportCsv(out)).isEqualTo(3);

        assertThat(out.toString()).isEqualTo(
                "address,origin,category,reason,created,dsn,reply_code\r\n"
                        + "+start@example.com,manual,,\"'@SUM(1+1), -2\",2026-03-01T12:00:00Z,,\r\n"
                        + "evil@example.com,bounce,userunknown,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\"), then"
                        + " \"\"quote\"\"\r\nnext line\",2026-03-01T12:00:00Z,5.1.1,550\r\n"
                        + "plain@example.com,manual,,simple reason,2026-03-01T12:00:01Z,,\r\n");
        // and a strict RFC 4180 reader gets the fields back
        List<List<String>> rows = parseCsv(out.toString());
        assertThat(rows).hasSize(4);
        assertThat(rows.get(2)).containsExactly("evil@example.com", "bounce", "userunknown",
                "'=HYPERLINK(\"http://x\",\"click\"), then \"quote\"\r\nnext line", "2026-03-01T12:00:00Z", "5.1.1",
                "550");
    }

    @Test
    void plainExportIsOneAddressPerLineAndPagesThroughLargeLists() throws Exception {
        StringBuilder input = new StringBuilder();
        int n = SuppressionList.EXPORT_PAGE * 2 + 3;
        for (int i = 0; i < n; i++) {
            input.append(String.format("user%05d@example.com%n", i));
        }
        list.importPlain(new StringReader(input.toString()), "migrated");
        StringWriter out = new StringWriter();
        assertThat(list.exportPlain(out)).isEqualTo(n);
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(n).doesNotHaveDuplicates().isSorted();
        assertThat(lines[0]).isEqualTo("user00000@example.com");
    }

    @Test
    void importCountsAddedPresentAndInvalidLinesWithTheirNumbers() throws Exception {
        list.add("known@example.com", "before");
        String text = "# exported from the old tool\n"
                + "new1@example.com\r\n"
                + "\n"
                + "KNOWN@example.com\n"
                + "not-an-address\n"
                + "  <new2@Example.com>  \n"
                + "x".repeat(5000) + "@example.com\n"
                + "new1@example.com\n"
                + "last@example.com"; // no final newline
        ImportReport report = list.importPlain(new StringReader(text), "migrated from old tool");
        assertThat(report.added()).isEqualTo(3);
        assertThat(report.present()).isEqualTo(2);
        assertThat(report.invalid()).isEqualTo(2);
        assertThat(report.problems()).hasSize(2);
        assertThat(report.problems().get(0)).startsWith("line 5: ").contains("not-an-address");
        assertThat(report.problems().get(1)).startsWith("line 7: ").contains("longer than");
        assertThat(list.find("new2@example.com")).get().extracting(Suppression::reason)
                .isEqualTo("migrated from old tool");
        assertThat(list.find("known@example.com")).get().extracting(Suppression::reason).isEqualTo("before");
        assertThat(store.reader().suppressionCount()).isEqualTo(4);
    }

    /** A strict RFC 4180 parser, independent of the writer. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
                i++;
                continue;
            }
            if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else if (c == '"' || c == '\r' || c == '\n') {
                throw new IllegalStateException("bare " + (int) c + " at " + i);
            } else {
                field.append(c);
            }
            i++;
        }
        return rows;
    }
}
