package dev.bouncewatch.testmta.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * Native epoll where Netty's library loads (Linux x86_64), else the JDK's NIO selector. Epoll
 * needs fewer system calls per connection (no selector bookkeeping, edge-triggered readiness),
 * which is most of a sink's cost when every message comes on a new connection.
 * {@code -Dtestmta.transport=nio} forces NIO, e.g. to compare or to rule the native code out.
 */
enum Transport {
    EPOLL, NIO;

    static final String PROPERTY = "testmta.transport";

    /** The transport to use here: epoll if available and not overridden. */
    static Transport choose() {
        return choose(System.getProperty(PROPERTY, ""), Epoll.isAvailable());
    }

    static Transport choose(String requested, boolean epollAvailable) {
        if ("nio".equalsIgnoreCase(requested.strip())) {
            return NIO;
        }
        return epollAvailable ? EPOLL : NIO;
    }

    IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
