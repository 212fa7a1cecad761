package dev.bouncewatch.agent.config;

import java.net.InetSocketAddress;

/**
 * {@code http:}.
 *
 * @param enabled false turns the API off
 * @param listen  default 127.0.0.1:9325
 * @param token   bearer token every request must carry except {@code /healthz}; null for none
 */
public record HttpConfig(boolean enabled, InetSocketAddress listen, Secret token) {

    /** Loopback only: the API shows recipient addresses, so reaching it from elsewhere is a choice. */
    public static final InetSocketAddress DEFAULT_LISTEN = ConfigValues.parseHostPort("127.0.0.1:9325");

    /** Enabled on 127.0.0.1:9325 without a token. */
    public static HttpConfig defaults() {
        return new HttpConfig(true, DEFAULT_LISTEN, null);
    }
}
