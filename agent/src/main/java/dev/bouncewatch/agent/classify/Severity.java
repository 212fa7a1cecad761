package dev.bouncewatch.agent.classify;

import java.util.Locale;

/**
 * How final a reply is, read from the codes (RFC 5321 section 4.2.1: 4yz transient, 5yz permanent;
 * 2yz means the message was accepted). Independent of the category: a 552 "mailbox full" is
 * permanent for this attempt yet not a hard bounce.
 */
public enum Severity {
    PERMANENT, TRANSIENT, NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity a reply-code or enhanced-code class digit stands for, or null for other digits. */
    static Severity ofClassDigit(char digit) {
        return switch (digit) {
            case '2' -> NONE;
            case '4' -> TRANSIENT;
            case '5' -> PERMANENT;
            default -> null;
        };
    }

    public static Severity fromWireName(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
