package dev.bouncewatch.testmta.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One string matcher from a scenario file: a glob ({@code *} any run, {@code ?} one character,
 * whole value) or a {@code /regex/} (found anywhere; anchor it with {@code ^...$}). Both ignore
 * case because addresses and host names are compared case-insensitively in practice. Named groups
 * of a regex become template variables: {@code /^(?<user>[^@]+)@/} offers {@code {user}}.
 */
record TextPattern(String source, Pattern pattern, boolean regex, List<String> groupNames) {

    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    static TextPattern parse(String source) {
        if (source.length() >= 2 && source.startsWith("/") && source.endsWith("/")) {
            String body = source.substring(1, source.length() - 1);
            try {
                Pattern p = Pattern.compile(body, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                List<String> names = new ArrayList<>();
                Matcher m = NAMED_GROUP.matcher(body);
                while (m.find()) {
                    names.add(m.group(1));
                }
                return new TextPattern(source, p, true, List.copyOf(names));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("regex does not compile: " + e.getDescription()
                        + " near index " + e.getIndex() + " of " + source, e);
            }
        }
        return new TextPattern(source, Pattern.compile(globToRegex(source),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL), false, List.of());
    }

    private static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    sb.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                sb.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            sb.append(Pattern.quote(literal.toString()));
        }
        return sb.toString();
    }

    /** True when {@code value} matches; named groups of a regex are put into {@code captures}. */
    boolean matches(String value, Map<String, String> captures) {
        if (value == null) {
            return false;
        }
        Matcher m = pattern.matcher(value);
        if (!regex) {
            return m.matches();
        }
        if (!m.find()) {
            return false;
        }
        for (String name : groupNames) {
            String g = m.group(name);
            if (g != null) {
                captures.put(name, g);
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return source;
    }
}
