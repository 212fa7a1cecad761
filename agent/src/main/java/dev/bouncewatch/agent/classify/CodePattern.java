package dev.bouncewatch.agent.classify;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A reply-code or enhanced-code pattern from a rule file: {@code 550}, {@code 55x}, {@code 5.7.26},
 * {@code x.7.26} (either class), {@code 5.7.6xx} (a range), {@code 5.7.*} (any subject detail).
 * {@code x} is one digit, {@code *} one or more digits. Matched by hand: it runs for every rule on
 * every reply, and a regex per check would dominate the classifier's cost.
 */
record CodePattern(String source, String glob) {

    private static final Pattern REPLY = Pattern.compile("[245x][0-9x]{2}");
    private static final Pattern ENHANCED = Pattern.compile("[245x]\\.(?:[0-9x]{1,3}|\\*)\\.(?:[0-9x]{1,3}|\\*)");

    /** A reply-code pattern: three characters, digits or x. */
    static CodePattern reply(String s) {
        String p = s.trim().toLowerCase(Locale.ROOT);
        if (!REPLY.matcher(p).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a reply-code pattern like 550, 55x or 5xx");
        }
        return new CodePattern(s, p);
    }

    /** An enhanced-code pattern: class.subject.detail, each part digits, x or *. */
    static CodePattern enhanced(String s) {
        String p = s.trim().toLowerCase(Locale.ROOT);
        if (!ENHANCED.matcher(p).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not an enhanced-code pattern like 5.7.26, x.7.26, 5.7.6xx or 5.7.*");
        }
        return new CodePattern(s, p);
    }

    boolean matches(String code) {
        return code != null && matches(glob, 0, code, 0);
    }

    private static boolean matches(String g, int gi, String c, int ci) {
        while (gi < g.length()) {
            char p = g.charAt(gi);
            if (p == '*') {
                int start = ci;
                while (ci < c.length() && isDigit(c.charAt(ci))) {
                    ci++;
                }
                // '*' is one or more digits and always stands for a whole dotted part
                if (ci == start) {
                    return false;
                }
                gi++;
                continue;
            }
            if (ci >= c.length()) {
                return false;
            }
            char ch = c.charAt(ci);
            if (p == 'x' ? !isDigit(ch) : p != ch) {
                return false;
            }
            gi++;
            ci++;
        }
        return ci == c.length();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
