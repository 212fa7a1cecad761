package dev.bouncewatch.agent.config;

import java.util.Objects;

/** A token or key from the config, a file or the environment. Never printed: toString hides it. */
public final class Secret {

    private final String value;
    private final String origin;

    /** @param origin where it came from, safe to log: {@code env:BW_TOKEN}, {@code file:/etc/...}, {@code config} */
    public Secret(String value, String origin) {
        this.value = Objects.requireNonNull(value, "value");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    public String reveal() {
        return value;
    }

    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "<secret from " + origin + ">";
    }
}
