package dev.bouncewatch.agent.notify.alert;

import java.util.Objects;

/**
 * What an alert is about: {@code provider=microsoft}, {@code sender_domain=example.com},
 * {@code list=spamhaus}, {@code destination=ops-slack}, or {@link #ALL}. Together with the rule it
 * forms the group key. The value may come from a recipient address or a reply: untrusted text.
 */
public record Scope(String key, String value) {

    public static final Scope ALL = new Scope("all", "");

    public Scope {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** Parses {@code key=value} or {@code all}, as the CLI and the database write it. */
    public static Scope parse(String s) {
        if (s == null || s.isBlank() || s.equals("all")) {
            return ALL;
        }
        int eq = s.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("a scope is key=value (provider=microsoft) or all, not '" + s + "'");
        }
        return new Scope(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
    }

    @Override
    public String toString() {
        return this.equals(ALL) ? "all" : key + "=" + value;
    }
}
