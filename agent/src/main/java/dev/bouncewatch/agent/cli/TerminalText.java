package dev.bouncewatch.agent.cli;

import java.util.List;

/**
 * Text for a terminal from values that may hold remote text (alert scopes carry recipient
 * domains): control characters become '?', so nothing can move the cursor or retitle the window.
 */
final class TerminalText {

    private TerminalText() {
    }

    static String safe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append('?');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** Columns aligned to their widest cell, two spaces apart, a dashed rule under the headers. */
    static String table(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        line(out, java.util.Arrays.stream(widths).mapToObj("-"::repeat).toList(), widths);
        rows.forEach(r -> line(out, r, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            l.append(i == 0 ? "" : "  ").append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length()));
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }
}
