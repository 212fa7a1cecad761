package dev.bouncewatch.testmta.client;

import java.util.Locale;

/** The command (or greeting) a reply answered, as the load source tallies it. */
public enum ClientStage {
    GREETING, EHLO, HELO, MAIL, RCPT, DATA, DATA_END, RSET, QUIT;

    /** Lower case, as in reports and JSON, e.g. {@code data_end}; matches the sink's stage names. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
