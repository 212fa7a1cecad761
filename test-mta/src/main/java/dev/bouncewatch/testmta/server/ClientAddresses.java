package dev.bouncewatch.testmta.server;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The client's address as accepted, never resolved: the sink does no DNS lookups. */
final class ClientAddresses {

    private ClientAddresses() {
    }

    static InetAddress address(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    static String ip(Channel channel) {
        InetAddress a = address(channel);
        return a == null ? "" : a.getHostAddress();
    }
}
