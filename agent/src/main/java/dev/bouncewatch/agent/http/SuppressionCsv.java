package dev.bouncewatch.agent.http;

import dev.bouncewatch.agent.store.Suppression;
import java.time.Instant;

/**
 * A suppression as one CSV row (RFC 4180) for campaign tools and spreadsheets. Remote text
 * (reason, diagnostic) that a spreadsheet would run as a formula gets a leading apostrophe (OWASP
 * "CSV injection"); the address is written as it is, since importers match on it.
 */
final class SuppressionCsv {

    private SuppressionCsv() {
    }

    /** Columns in the order of {@link SuppressionsEndpoint#CSV_COLUMNS}. */
    static String row(Suppression s) {
        StringBuilder b = new StringBuilder(128);
        field(b, s.address(), false);
        field(b, s.origin(), false);
        field(b, s.reason(), true);
        field(b, s.category(), true);
        field(b, time(s.createdAt()), false);
        field(b, time(s.updatedAt()), false);
        field(b, Integer.toString(s.failures()), false);
        field(b, s.dsn(), true);
        field(b, s.replyCode() == null ? null : s.replyCode().toString(), false);
        field(b, s.diagnostic(), true);
        field(b, s.resultId() == null ? null : s.resultId().toString(), false);
        return b.substring(1);
    }

    private static void field(StringBuilder b, String value, boolean untrusted) {
        b.append(',');
        if (value == null || value.isEmpty()) {
            return;
        }
        String v = untrusted && startsFormula(value) ? "'" + value : value;
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            b.append('"').append(v.replace("\"", "\"\"")).append('"');
        } else {
            b.append(v);
        }
    }

    private static boolean startsFormula(String v) {
        char c = v.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Control characters replaced by '?', so one value stays on one line of a plain list. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                b.append('?');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
