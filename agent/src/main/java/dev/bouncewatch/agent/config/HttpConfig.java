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
}
