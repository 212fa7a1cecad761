package dev.bouncewatch.testmta.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.Test;

class TransportTest {

    @Test
    void epollWhenAvailableUnlessNioIsAskedFor() {
        assertThat(Transport.choose("", true)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("", false)).isEqualTo(Transport.NIO);
        assertThat(Transport.choose(" NIO ", true)).isEqualTo(Transport.NIO);
        assertThat(Transport.choose("epoll", false)).isEqualTo(Transport.NIO);
        assertThat(Transport.EPOLL.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
        assertThat(Transport.NIO.serverChannel()).isEqualTo(NioServerSocketChannel.class);
    }
}
