package dev.bouncewatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sends to a real unix datagram socket, as systemd's notify socket is, and checks the bytes. */
class SystemdNotifyTest {

    private static final long OWN_PID = 4242;

    @TempDir
    Path dir;

    private EventLoopGroup receiverGroup;
    private final List<Channel> receivers = new ArrayList<>();

    @BeforeEach
    void needsEpoll() {
        assumeTrue(Epoll.isAvailable(), "Netty's native epoll is not available on this machine");
        receiverGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterEach
    void closeReceivers() {
        receivers.forEach(c -> c.close().awaitUninterruptibly());
        if (receiverGroup != null) {
            receiverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    @Test
    void sendsEachMessageAsOneDatagramToAPathSocket() throws Exception {
        String path = dir.resolve("notify").toString();
        BlockingQueue<String> received = bindReceiver(path);

        try (SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", path), OWN_PID)) {
            assertThat(notify.enabled()).isTrue();
            assertThat(notify.ready("watching /var/log/mail.log, API on 127.0.0.1:9325")).isTrue();
            assertThat(notify.status("3 sources, 120 results")).isTrue();
            assertThat(notify.watchdog()).isTrue();
            assertThat(notify.stopping("stopping: flushing results")).isTrue();
        }

        assertThat(next(received)).isEqualTo("READY=1\nSTATUS=watching /var/log/mail.log, API on 127.0.0.1:9325");
        assertThat(next(received)).isEqualTo("STATUS=3 sources, 120 results");
        assertThat(next(received)).isEqualTo("WATCHDOG=1");
        assertThat(next(received)).isEqualTo("STOPPING=1\nSTATUS=stopping: flushing results");
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void reachesAnAbstractSocketNamedWithAnAt() throws Exception {
        String name = "bouncewatch-test-" + UUID.randomUUID();
        BlockingQueue<String> received = bindReceiver("\0" + name);

        try (SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name), OWN_PID)) {
            assertThat(notify.ready("ready")).isTrue();
        }

        assertThat(next(received)).isEqualTo("READY=1\nSTATUS=ready");
    }

    @Test
    void aStatusStaysOneLineSoItCannotInjectAnotherKey() throws Exception {
        String path = dir.resolve("notify").toString();
        BlockingQueue<String> received = bindReceiver(path);

        try (SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", path), OWN_PID)) {
            notify.status("bad line\nREADY=1\r\n");
            notify.status("é".repeat(300));
        }

        assertThat(next(received)).isEqualTo("STATUS=bad line READY=1");
        assertThat(next(received)).isEqualTo("STATUS=" + "é".repeat(197) + "...");
    }

    @Test
    void withoutNotifySocketEveryCallIsANoOp() {
        try (SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of(), OWN_PID)) {
            assertThat(notify.enabled()).isFalse();
            assertThat(notify.ready("ready")).isFalse();
            assertThat(notify.stopping("bye")).isFalse();
            assertThat(notify.watchdog()).isFalse();
            notify.startWatchdog(() -> true);
        }
    }

    @Test
    void aSocketThatIsNotThereIsReportedNotThrown() {
        String path = dir.resolve("nobody-listens").toString();
        try (SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", path), OWN_PID)) {
            assertThat(notify.enabled()).isTrue();
            assertThat(notify.ready("ready")).isFalse();
        }
    }

    @Test
    void anUnsupportedSocketAddressDisablesNotification() {
        try (SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "vsock:2:1234"), OWN_PID)) {
            assertThat(notify.enabled()).isFalse();
        }
    }

    @Test
    void watchdogIntervalComesFromWatchdogUsecForThisProcess() {
        Map<String, String> forUs = Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", Long.toString(OWN_PID));
        Map<String, String> noPid = Map.of("WATCHDOG_USEC", "1500000");
        Map<String, String> forAnother = Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1");

        assertThat(SystemdNotify.fromEnvironment(forUs, OWN_PID).watchdogInterval()).contains(Duration.ofSeconds(30));
        assertThat(SystemdNotify.fromEnvironment(noPid, OWN_PID).watchdogInterval()).contains(Duration.ofMillis(1500));
        assertThat(SystemdNotify.fromEnvironment(forAnother, OWN_PID).watchdogInterval()).isEmpty();
        assertThat(SystemdNotify.fromEnvironment(Map.of(), OWN_PID).watchdogInterval()).isEmpty();
        assertThat(SystemdNotify.fromEnvironment(Map.of("WATCHDOG_USEC", "0"), OWN_PID).watchdogInterval()).isEmpty();
        assertThat(SystemdNotify.fromEnvironment(Map.of("WATCHDOG_USEC", "soon"), OWN_PID).watchdogInterval()).isEmpty();
    }

    @Test
    void theWatchdogPingsWhileHealthyAndStopsWhenNot() throws Exception {
        String path = dir.resolve("notify").toString();
        BlockingQueue<String> received = bindReceiver(path);
        AtomicBoolean healthy = new AtomicBoolean(true);
        Map<String, String> env = Map.of("NOTIFY_SOCKET", path, "WATCHDOG_USEC", "200000");

        try (SystemdNotify notify = SystemdNotify.fromEnvironment(env, OWN_PID)) {
            notify.startWatchdog(healthy::get);
            assertThat(next(received)).isEqualTo("WATCHDOG=1");
            assertThat(next(received)).isEqualTo("WATCHDOG=1");
            healthy.set(false);
            // a ping may have been on its way when health changed: drain, then expect silence
            while (received.poll(500, TimeUnit.MILLISECONDS) != null) {
                // drain
            }
            assertThat(received.poll(500, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void statusUpdatesCarryTheSuppliersCurrentTextAsOneLine() throws Exception {
        String path = dir.resolve("notify").toString();
        BlockingQueue<String> received = bindReceiver(path);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

        try (SystemdNotify notify = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", path), OWN_PID)) {
            notify.startStatusUpdates(() -> "update " + n.incrementAndGet() + "\nREADY=1", java.time.Duration.ofMillis(50));
            assertThat(next(received)).isEqualTo("STATUS=update 1 READY=1");
            assertThat(next(received)).isEqualTo("STATUS=update 2 READY=1");
        }
        // closed: no more updates
        while (received.poll(300, TimeUnit.MILLISECONDS) != null) {
            // drain one that was on its way
        }
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    private BlockingQueue<String> bindReceiver(String address) throws InterruptedException {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Channel channel = new Bootstrap()
                .group(receiverGroup)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        // the exact bytes, decoded strictly: a stray byte would show as a mismatch
                        received.add(new String(ByteBufUtil.getBytes(packet.content()),
                                StandardCharsets.UTF_8));
                    }
                })
                .bind(new DomainSocketAddress(address))
                .sync()
                .channel();
        receivers.add(channel);
        return received;
    }

    private static String next(BlockingQueue<String> received) throws InterruptedException {
        String message = received.poll(30, TimeUnit.SECONDS);
        assertThat(message).as("a datagram within 30 s").isNotNull();
        return message;
    }
}
