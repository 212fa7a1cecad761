package dev.bouncewatch.agent.notify;

import java.util.Locale;

/** How urgent an alert is; destinations can drop alerts below a minimum. Ordered: later is worse. */
public enum AlertSeverity {
    WARNING, CRITICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(AlertSeverity other) {
        return compareTo(other) >= 0;
    }

    public static AlertSeverity fromWireName(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
