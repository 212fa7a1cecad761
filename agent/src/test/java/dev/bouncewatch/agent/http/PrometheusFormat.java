package dev.bouncewatch.agent.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, as a scraper would parse it: every sample
 * must belong to a family announced by HELP and TYPE lines before it, a family's samples must be
 * contiguous, and label values are unescaped. Throws on anything else.
 */
final class PrometheusFormat {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, String help, List<Sample> samples) {
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private PrometheusFormat() {
    }

    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> help = new HashMap<>();
        String current = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + lineNo + ": " + line;
            if (line.startsWith("# HELP ")) {
                String[] p = line.substring(7).split(" ", 2);
                require(NAME.matcher(p[0]).matches() && p.length == 2, where);
                require(!families.containsKey(p[0]) && !help.containsKey(p[0]), "family announced twice, " + where);
                help.put(p[0], p[1]);
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                require(p.length == 2 && help.containsKey(p[0]), "TYPE without HELP before it, " + where);
                require(List.of("counter", "gauge", "histogram", "summary", "untyped").contains(p[1]), where);
                require(!p[0].endsWith("_total") || p[1].equals("counter"), "_total on a non-counter, " + where);
                require(!p[1].equals("counter") || p[0].endsWith("_total"), "counter without _total, " + where);
                families.put(p[0], new Family(p[0], p[1], help.get(p[0]), new ArrayList<>()));
                current = p[0];
                continue;
            }
            require(!line.startsWith("#"), where);
            Sample s = sample(line, where);
            require(s.name().equals(current), "sample outside its family's block, " + where);
            families.get(current).samples().add(s);
        }
        require(text.endsWith("\n"), "the exposition must end with a line feed");
        return families;
    }

    private static Sample sample(String line, String where) {
        Matcher m = NAME.matcher(line);
        require(m.lookingAt(), where);
        String name = m.group();
        int i = m.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                Matcher ln = LABEL_NAME.matcher(line).region(i, line.length());
                require(ln.lookingAt(), where);
                i = ln.end();
                require(line.startsWith("=\"", i), where);
                i += 2;
                StringBuilder v = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\') {
                        char e = line.charAt(i++);
                        require(e == '\\' || e == '"' || e == 'n', "bad escape, " + where);
                        v.append(e == 'n' ? '\n' : e);
                    } else {
                        v.append(c);
                    }
                }
                i++;
                require(labels.put(ln.group(), v.toString()) == null, "label twice, " + where);
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        require(line.charAt(i) == ' ', where);
        String value = line.substring(i + 1);
        double d = switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
        return new Sample(name, labels, d);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
