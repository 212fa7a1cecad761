package dev.bouncewatch.testmta.scenario;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with {@code {name}} placeholders, parsed once at load time so rendering on the event loop
 * is a plain concatenation. A brace that does not enclose a variable name stays literal text.
 */
final class Template {

    /** Keeps a rendered reply line within RFC 5321's 512 octets even for a huge recipient. */
    static final int MAX_VALUE_CHARS = 256;

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    private final String source;
    /** Alternating parts: even indexes are literals, odd indexes variable names. */
    private final List<String> parts;

    private Template(String source, List<String> parts) {
        this.source = source;
        this.parts = parts;
    }

    static Template parse(String source) {
        List<String> parts = new ArrayList<>();
        Matcher m = VARIABLE.matcher(source);
        int last = 0;
        while (m.find()) {
            parts.add(source.substring(last, m.start()));
            parts.add(m.group(1));
            last = m.end();
        }
        parts.add(source.substring(last));
        return new Template(source, List.copyOf(parts));
    }

    Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 1; i < parts.size(); i += 2) {
            names.add(parts.get(i));
        }
        return names;
    }

    boolean isConstant() {
        return parts.size() == 1;
    }

    /**
     * Renders with {@code lookup}; unknown or null values become empty, CR and LF become spaces,
     * other characters outside printable US-ASCII become '?', and values longer than
     * {@link #MAX_VALUE_CHARS} are cut.
     */
    String render(Function<String, String> lookup) {
        if (isConstant()) {
            return source;
        }
        StringBuilder sb = new StringBuilder(source.length() + 32);
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                sb.append(parts.get(i));
            } else {
                String v = lookup.apply(parts.get(i));
                if (v != null) {
                    if (v.length() > MAX_VALUE_CHARS) {
                        v = v.substring(0, MAX_VALUE_CHARS);
                    }
                    // a value must never smuggle a line break into a reply line
                    v = v.replace('\r', ' ').replace('\n', ' ');
                    // client text (helo, SMTPUTF8 addresses): reply text is printable US-ASCII only
                    for (int c = 0; c < v.length(); c++) {
                        char ch = v.charAt(c);
                        sb.append(ch >= 0x20 && ch <= 0x7E ? ch : '?');
                    }
                }
            }
        }
        return sb.toString();
    }

    String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
