package dev.bouncewatch.agent.suppress;

import dev.bouncewatch.agent.store.Suppression;
import java.io.IOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;

/**
 * Writes suppression entries as CSV (RFC 4180: CRLF line ends, fields with a comma, quote, CR or LF
 * in double quotes, quotes doubled). Text fields that a spreadsheet would run as a formula (leading
 * {@code = + - @}, tab or CR) get a leading apostrophe: reasons carry remote servers' text. The one CSV
 * format of the list: {@link SuppressionList#exportCsv} and the HTTP API's {@code ?format=csv} both write it.
 */
public final class SuppressionCsv {

    public static final String HEADER = "address,origin,category,reason,created,dsn,reply_code";

    private final Writer out;

    public SuppressionCsv(Writer out) {
        this.out = out;
    }

    public void header() throws IOException {
        out.write(HEADER);
        out.write("\r\n");
    }

    public void row(Suppression s) throws IOException {
        // the address is written as stored: a campaign tool must match it byte for byte
        field(s.address(), false);
        out.write(',');
        field(s.origin(), true);
        out.write(',');
        field(s.category(), true);
        out.write(',');
        field(s.reason(), true);
        out.write(',');
        field(DateTimeFormatter.ISO_INSTANT.format(s.createdAt()), false);
        out.write(',');
        field(s.dsn(), true);
        out.write(',');
        field(s.replyCode() == null ? null : s.replyCode().toString(), false);
        out.write("\r\n");
    }

    private void field(String value, boolean guardFormula) throws IOException {
        if (value == null || value.isEmpty()) {
            return;
        }
        String v = guardFormula && startsFormula(value) ? "'" + value : value;
        if (needsQuotes(v)) {
            out.write('"');
            out.write(v.replace("\"", "\"\""));
            out.write('"');
        } else {
            out.write(v);
        }
    }

    static boolean needsQuotes(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    static boolean startsFormula(String v) {
        char c = v.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }
}
