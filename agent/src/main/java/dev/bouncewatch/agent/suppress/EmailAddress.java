package dev.bouncewatch.agent.suppress;

import java.util.Locale;
import java.util.Optional;

/**
 * Checks an address typed by a person or read from an imported list: {@code local@domain}, one line,
 * RFC 5321 lengths (local part 64, domain 255), a domain of letters, digits, hyphens and dots (or
 * non-ASCII labels) or an address literal. Quoted local parts are refused: campaign tools cannot
 * hold them either.
 */
public final class EmailAddress {

    static final int MAX_LOCAL = 64;
    static final int MAX_DOMAIN = 255;
    /** The longest address {@link #check} accepts. */
    public static final int MAX_LENGTH = MAX_LOCAL + 1 + MAX_DOMAIN;
    /** Characters RFC 5322 allows in a dot-atom besides letters and digits. */
    private static final String ATEXT = "!#$%&'*+-/=?^_`{|}~";

    private EmailAddress() {
    }

    /** The address lower-cased and trimmed, or an {@link IllegalArgumentException} saying what is wrong. */
    public static String normalise(String input) {
        Optional<String> problem = check(input);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return strip(input).toLowerCase(Locale.ROOT);
    }

    /**
     * The list's key for an address without checking it (trimmed, angle brackets removed, lower case):
     * for lookups of entries that came from logs, which need not pass {@link #check}.
     */
    public static String key(String input) {
        return strip(input).toLowerCase(Locale.ROOT);
    }

    /** What is wrong with the address, or empty when it is acceptable. */
    public static Optional<String> check(String input) {
        if (input == null || input.isBlank()) {
            return Optional.of("the address is empty");
        }
        String address = strip(input);
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Optional.of("'" + shown(address) + "' has no @");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.isEmpty() || local.length() > MAX_LOCAL) {
            return Optional.of("'" + shown(address) + "': the part before @ must have 1 to " + MAX_LOCAL + " characters");
        }
        if (domain.isEmpty() || domain.length() > MAX_DOMAIN) {
            return Optional.of("'" + shown(address) + "': the domain must have 1 to " + MAX_DOMAIN + " characters");
        }
        if (!dotAtom(local)) {
            return Optional.of("'" + shown(address) + "': the part before @ has a character an address cannot have,"
                    + " or a misplaced dot");
        }
        if (!domainOk(domain)) {
            return Optional.of("'" + shown(address) + "': '" + shown(domain) + "' is not a domain name");
        }
        return Optional.empty();
    }

    private static String strip(String input) {
        String s = input.strip();
        if (s.length() >= 2 && s.charAt(0) == '<' && s.charAt(s.length() - 1) == '>') {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    private static boolean dotAtom(String s) {
        if (s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ATEXT.indexOf(c) >= 0 || (c > 127 && !Character.isISOControl(c) && !Character.isWhitespace(c)
                    && !Character.isSpaceChar(c));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean domainOk(String d) {
        if (d.startsWith("[") && d.endsWith("]")) { // address literal: [192.0.2.1] or [IPv6:...]
            String inner = d.substring(1, d.length() - 1);
            return !inner.isEmpty() && inner.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == ':');
        }
        String name = d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
        if (name.isEmpty()) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || (c > 127 && Character.isLetterOrDigit(c));
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The address as shown in an error: bounded and on one line. */
    private static String shown(String s) {
        return SuppressionPolicy.bound(SuppressionPolicy.printable(s), 80);
    }
}
