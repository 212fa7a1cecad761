package dev.bouncewatch.testmta.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void parsesIpv4AndIpv6Literals() {
        InetSocketAddress v4 = HostPort.parse("127.0.0.1:2525", "--listen");
        assertThat(v4.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(v4.getPort()).isEqualTo(2525);
        InetSocketAddress v6 = HostPort.parse("[::1]:25", "--listen");
        assertThat(v6.getAddress().isLoopbackAddress()).isTrue();
        assertThat(HostPort.format(v6)).isEqualTo("[0:0:0:0:0:0:0:1]:25");
        assertThat(HostPort.parse("localhost:0", "--http").getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void refusesNamesThatWouldNeedDnsAndBadPorts() {
        assertThatThrownBy(() -> HostPort.parse("mail.example.com:25", "--listen"))
                .hasMessageContaining("--listen").hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1:99999", "--listen")).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1", "--http")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("[::1]25", "--http")).hasMessageContaining("[IPv6]:PORT");
    }
}
