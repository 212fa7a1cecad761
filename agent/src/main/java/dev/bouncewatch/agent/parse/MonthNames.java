package dev.bouncewatch.agent.parse;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Month abbreviations of syslog prefixes, English and the localised ones journalctl prints; data in month-names.txt. */
final class MonthNames {

    private static final String RESOURCE = "month-names.txt";
    private static final Map<String, Integer> MONTHS = load();

    private MonthNames() {
    }

    /** The month number 1-12 of {@code s[from, to)}, or 0 when it is no month name we know. */
    static int month(String s, int from, int to) {
        int len = to - from;
        if (len == 3) {
            int english = english(s.charAt(from), s.charAt(from + 1), s.charAt(from + 2));
            if (english > 0) {
                return english;
            }
        }
        if (to > from && s.charAt(to - 1) == '.') {
            to--;
        }
        Integer m = MONTHS.get(s.substring(from, to).toLowerCase(Locale.ROOT));
        return m == null ? 0 : m;
    }

    /** Fast path for the spelling in nearly every log: no allocation. */
    private static int english(char a, char b, char c) {
        switch (a) {
            case 'J':
                if (b == 'a' && c == 'n') return 1;
                if (b == 'u' && c == 'n') return 6;
                if (b == 'u' && c == 'l') return 7;
                return 0;
            case 'F': return b == 'e' && c == 'b' ? 2 : 0;
            case 'M':
                if (b == 'a' && c == 'r') return 3;
                if (b == 'a' && c == 'y') return 5;
                return 0;
            case 'A':
                if (b == 'p' && c == 'r') return 4;
                if (b == 'u' && c == 'g') return 8;
                return 0;
            case 'S': return b == 'e' && c == 'p' ? 9 : 0;
            case 'O': return b == 'c' && c == 't' ? 10 : 0;
            case 'N': return b == 'o' && c == 'v' ? 11 : 0;
            case 'D': return b == 'e' && c == 'c' ? 12 : 0;
            default: return 0;
        }
    }

    private static Map<String, Integer> load() {
        Map<String, Integer> months = new HashMap<>();
        TsvRows.readResource(MonthNames.class, RESOURCE, (lineNo, fields) -> {
            int month;
            try {
                month = Integer.parseInt(fields[0].trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException(RESOURCE + " line " + lineNo + ": month number expected, got '" + fields[0] + "'");
            }
            for (int i = 1; i < fields.length; i++) {
                String name = fields[i].trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    months.put(name, month);
                }
            }
        });
        return Map.copyOf(months);
    }
}
