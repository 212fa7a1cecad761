package dev.bouncewatch.agent.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the service is doing, the way {@code sd_notify(3)} does: one datagram of
 * {@code KEY=VALUE} lines to the unix socket named by {@code $NOTIFY_SOCKET} (a path, or an abstract
 * name written with a leading {@code @}). Without {@code $NOTIFY_SOCKET} (not started by systemd, or
 * {@code Type=} other than notify) every call does nothing.
 *
 * <p>The JDK has no unix datagram sockets (its {@code UnixDomainSocketAddress} channels are stream
 * only), so this uses Netty's native epoll {@link EpollDomainDatagramChannel} on one daemon thread
 * that exists only while a notify socket is set. A failed send is logged and reported as
 * {@code false}, never thrown: like sd_notify, telling systemd must not take the agent down.
 *
 * <p>Systemd accepts the messages only from the unit's main process ({@code NotifyAccess=main}):
 * the launcher must {@code exec} java, so the JVM is that process.
 */
public final class SystemdNotify implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    /** systemd's own limit for STATUS= is a line; keep it readable in {@code systemctl status}. */
    private static final int MAX_STATUS_CHARS = 200;

    private final String socketName;
    private final Duration watchdogTimeout;
    private final EventLoopGroup group;
    private final Channel channel;
    private final AtomicBoolean failing = new AtomicBoolean();
    private ScheduledFuture<?> watchdogTask;
    private ScheduledFuture<?> statusTask;

    private SystemdNotify(String socketName, Duration watchdogTimeout, EventLoopGroup group, Channel channel) {
        this.socketName = socketName;
        this.watchdogTimeout = watchdogTimeout;
        this.group = group;
        this.channel = channel;
    }

    /** From this process's environment. */
    public static SystemdNotify fromEnvironment() {
        return fromEnvironment(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * From the given environment, as the process {@code ownPid}.
     *
     * @param env    {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} are read
     * @param ownPid the watchdog applies only when {@code WATCHDOG_PID} is unset or equals this
     */
    public static SystemdNotify fromEnvironment(Map<String, String> env, long ownPid) {
        Duration watchdog = watchdogTimeout(env, ownPid);
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return disabled(watchdog);
        }
        if (!socket.startsWith("/") && !socket.startsWith("@")) {
            // sd_notify also accepts vsock:CID:PORT (VMs); nothing here runs in such a setup
            LOG.warn("NOTIFY_SOCKET={} is neither a path nor an abstract @name; not notifying systemd", socket);
            return disabled(watchdog);
        }
        if (!Epoll.isAvailable()) {
            LOG.warn("NOTIFY_SOCKET is set but Netty's native epoll is unavailable here ({}); systemd will not "
                    + "hear that the agent is ready: run the unit with Type=exec", Epoll.unavailabilityCause().toString());
            return disabled(watchdog);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("systemd-notify", true), EpollIoHandler.newFactory());
        try {
            ChannelFuture registered = new Bootstrap()
                    .group(group)
                    .channel(EpollDomainDatagramChannel.class)
                    // unbound and unconnected: each datagram names the socket, as sd_notify's sendmsg
                    // does, so a systemd that re-executed itself (new socket, same path) still hears us
                    .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                    .handler(new ChannelInboundHandlerAdapter())
                    .register();
            if (!registered.awaitUninterruptibly(SEND_TIMEOUT.toMillis()) || !registered.isSuccess()) {
                throw new IllegalStateException("cannot open a unix datagram socket", registered.cause());
            }
            return new SystemdNotify(socket, watchdog, group, registered.channel());
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            LOG.warn("cannot notify systemd at {}: {}", socket, e.toString());
            return disabled(watchdog);
        }
    }

    private static SystemdNotify disabled(Duration watchdog) {
        return new SystemdNotify(null, watchdog, null, null);
    }

    /** True when messages go somewhere: systemd gave a notify socket and it could be used. */
    public boolean enabled() {
        return channel != null;
    }

    /** {@code READY=1}: start-up is complete; systemd now considers the unit started. */
    public boolean ready(String status) {
        return send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** {@code STATUS=...}: free text shown by {@code systemctl status}. */
    public boolean status(String status) {
        return send("STATUS=" + oneLine(status));
    }

    /** {@code STOPPING=1}: shutdown has begun (after SIGTERM), so systemd shows "deactivating". */
    public boolean stopping(String status) {
        return send("STOPPING=1\nSTATUS=" + oneLine(status));
    }

    /** {@code WATCHDOG=1}: the agent is alive; must come more often than {@link #watchdogInterval()}. */
    public boolean watchdog() {
        return send("WATCHDOG=1");
    }

    /**
     * The unit's {@code WatchdogSec=}, from {@code WATCHDOG_USEC} when {@code WATCHDOG_PID} is absent
     * or names this process; empty when no watchdog is asked for. Ping at half this interval, as
     * sd_watchdog_enabled(3) advises, which {@link #startWatchdog} does.
     */
    public Optional<Duration> watchdogInterval() {
        return Optional.ofNullable(watchdogTimeout);
    }

    /**
     * Sends {@code WATCHDOG=1} every half {@link #watchdogInterval()} while {@code healthy} says so;
     * once it says false the pings stop and systemd restarts the unit when the interval runs out.
     * Does nothing without a watchdog or a notify socket.
     */
    public synchronized void startWatchdog(BooleanSupplier healthy) {
        if (!enabled() || watchdogTimeout == null || watchdogTask != null) {
            return;
        }
        long periodMicros = Math.max(1, watchdogTimeout.toNanos() / 1000 / 2);
        watchdogTask = channel.eventLoop().scheduleAtFixedRate(() -> {
            if (healthy.getAsBoolean()) {
                writeAsync("WATCHDOG=1");
            }
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /**
     * Sends {@code STATUS=} with {@code status}'s text every {@code period}, so {@code systemctl
     * status} shows how the agent is doing now, not only what it said at start. Does nothing
     * without a notify socket; a failing supplier skips one update.
     */
    public synchronized void startStatusUpdates(Supplier<String> status, Duration period) {
        if (!enabled() || statusTask != null) {
            return;
        }
        statusTask = channel.eventLoop().scheduleAtFixedRate(() -> {
            try {
                writeAsync("STATUS=" + oneLine(status.get()));
            } catch (RuntimeException e) {
                LOG.debug("no status update: {}", e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the watchdog pings and closes the socket; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (watchdogTask != null) {
            watchdogTask.cancel(false);
            watchdogTask = null;
        }
        if (statusTask != null) {
            statusTask.cancel(false);
            statusTask = null;
        }
        if (group != null) {
            channel.close().awaitUninterruptibly(SEND_TIMEOUT.toMillis());
            group.shutdownGracefully(0, SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SEND_TIMEOUT.toMillis());
        }
    }

    /** Sends one datagram and waits until the kernel took it; false (logged) when it did not. */
    boolean send(String message) {
        if (!enabled()) {
            return false;
        }
        ChannelFuture sent = writeAsync(message);
        if (!sent.awaitUninterruptibly(SEND_TIMEOUT.toMillis())) {
            LOG.warn("systemd notify socket {} did not take a message within {}", socketName, SEND_TIMEOUT);
            return false;
        }
        return sent.isSuccess();
    }

    private ChannelFuture writeAsync(String message) {
        ChannelFuture sent = channel.writeAndFlush(new DomainDatagramPacket(
                Unpooled.wrappedBuffer(message.getBytes(StandardCharsets.UTF_8)), socketAddress(socketName)));
        sent.addListener(f -> {
            // one warning per run of failures: a watchdog tick must not flood the journal
            if (f.isSuccess()) {
                failing.set(false);
            } else if (failing.compareAndSet(false, true)) {
                LOG.warn("cannot notify systemd at {}: {}", socketName, f.cause().toString());
            }
        });
        return sent;
    }

    /** An abstract name ({@code @name}) is the same name with a leading NUL byte, as in sd_notify. */
    static DomainSocketAddress socketAddress(String notifySocket) {
        return new DomainSocketAddress(notifySocket.startsWith("@") ? "\0" + notifySocket.substring(1) : notifySocket);
    }

    /** The protocol is newline-separated, so a status must not carry its own newlines. */
    private static String oneLine(String status) {
        String flat = status.replaceAll("[\\r\\n]+", " ").strip();
        return flat.length() <= MAX_STATUS_CHARS ? flat : flat.substring(0, MAX_STATUS_CHARS - 3) + "...";
    }

    private static Duration watchdogTimeout(Map<String, String> env, long ownPid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isEmpty()) {
            return null;
        }
        String pid = env.get("WATCHDOG_PID");
        try {
            if (pid != null && !pid.isEmpty() && Long.parseLong(pid.strip()) != ownPid) {
                return null;   // meant for another process (e.g. the launcher shell before exec)
            }
            long micros = Long.parseLong(usec.strip());
            return micros > 0 ? Duration.ofNanos(Math.multiplyExact(micros, 1000L)) : null;
        } catch (NumberFormatException | ArithmeticException e) {
            LOG.warn("ignoring WATCHDOG_USEC={} / WATCHDOG_PID={}: not a number", usec, pid);
            return null;
        }
    }
}
