package dev.bouncewatch.testmta.session;

import java.util.Locale;

/**
 * The points in an SMTP session where a scenario rule can decide the reply. {@code CONNECT} is the
 * greeting and {@code DATA_END} the reply after the final dot (or BDAT LAST), when headers are known.
 */
public enum Stage {
    CONNECT, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, DATA_END, RSET, NOOP, VRFY, HELP, QUIT, UNKNOWN;

    private final String configName = name().toLowerCase(Locale.ROOT);

    /** Name as written in scenario files and events: lower case, e.g. {@code data_end}. */
    public String configName() {
        return configName; // computed once: every reply and event asks for it
    }

    public static Stage fromConfigName(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
