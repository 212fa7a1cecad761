package dev.bouncewatch.agent.classify;

import java.util.regex.Pattern;

/**
 * A reply-code or enhanced-code pattern from a rule file: {@code 550}, {@code 55x}, {@code 5.7.26},
 * {@code x.7.26} (either class), {@code 5.7.6xx} (a range), {@code 5.7.*} (any subject detail).
 * {@code x} is one digit, {@code *} one or more digits.
 */
record CodePattern(String source, Pattern pattern) {

    private static final Pattern VALID = Pattern.compile("[0-9x*]+(\\.[0-9x*]+){0,2}");

    static CodePattern parse(String s) {
        String p = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (!VALID.matcher(p).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a code pattern like 550, 55x, 5.7.26, x.7.26 or 5.7.*");
        }
        StringBuilder re = new StringBuilder();
        for (char c : p.toCharArray()) {
            re.append(switch (c) {
                case 'x' -> "\\d";
                case '*' -> "\\d+";
                case '.' -> "\\.";
                default -> String.valueOf(c);
            });
        }
        return new CodePattern(s, Pattern.compile(re.toString()));
    }

    boolean matches(String code) {
        return code != null && pattern.matcher(code).matches();
    }
}
