package dev.bouncewatch.agent.model;

import java.util.Locale;

/** The outcome of one delivery attempt for one recipient, in the MTA-neutral vocabulary. */
public enum DeliveryStatus {
    DELIVERED, DEFERRED, BOUNCED, EXPIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
