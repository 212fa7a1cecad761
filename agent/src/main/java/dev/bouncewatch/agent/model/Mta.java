package dev.bouncewatch.agent.model;

import java.util.Locale;

/** Which program wrote the line a result came from; SINK is the embedded test-mta. */
public enum Mta {
    POSTFIX, EXIM, SENDMAIL, OPENSMTPD, SINK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
