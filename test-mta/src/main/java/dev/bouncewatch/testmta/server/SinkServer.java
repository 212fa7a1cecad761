package dev.bouncewatch.testmta.server;

import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.session.ProtocolOptions;
import dev.bouncewatch.testmta.session.SmtpSession;
import dev.bouncewatch.testmta.smtp.SmtpServerDecoder;
import dev.bouncewatch.testmta.smtp.SmtpServerEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SMTP sink: listens, runs one {@link SmtpSession} per connection with the scenario installed
 * when the connection came in, and reports every reply to a {@link TransactionListener}.
 */
public final class SinkServer implements AutoCloseable {

    /** Stateless and sharable: one for all sessions. */
    private static final SmtpServerEncoder ENCODER = new SmtpServerEncoder();

    private final EventLoopGroup loops;
    private final Channel serverChannel;
    private final ChannelGroup sessions;
    private final ConnectionLimits limits;
    private final MessageCapture capture;

    private SinkServer(EventLoopGroup loops, Channel serverChannel, ChannelGroup sessions, ConnectionLimits limits,
                       MessageCapture capture) {
        this.loops = loops;
        this.serverChannel = serverChannel;
        this.sessions = sessions;
        this.limits = limits;
        this.capture = capture;
    }

    /** Binds and returns once the server listens. */
    public static SinkServer start(ServerSettings settings, ScenarioHolder scenarios, TransactionListener listener)
            throws InterruptedException {
        SslContext ssl = TlsContexts.forSettings(settings, scenarios.scenario().protocol().hostname());
        MessageCapture capture = settings.captureDir() == null ? null : new MessageCapture(settings.captureDir());
        ConnectionLimits limits = new ConnectionLimits();
        ChannelGroup sessions = new DefaultChannelGroup("smtp-sessions", GlobalEventExecutor.INSTANCE);
        TransactionListener events = listener == null ? TransactionListener.NONE : listener;
        AtomicLong connections = new AtomicLong();
        Clock clock = Clock.systemUTC();

        // one group accepts and runs sessions: a new connection then often starts on the thread that
        // accepted it instead of waking another (smtp-source opens a connection per message)
        Transport transport = Transport.choose();
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(settings.effectiveEventLoops(),
                transport.ioHandlerFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        sessions.add(ch);
                        // a reload never changes a session in flight: snapshot the scenario now
                        Scenario scenario = scenarios.scenario();
                        ProtocolOptions options = scenario.protocol();
                        // deterministic per run: seeded dice hash the session id, so a replay gets the same outcomes
                        String id = "s" + connections.incrementAndGet();
                        SmtpSession session = new SmtpSession(id, ClientAddresses.address(ch), scenario, options,
                                capture != null, clock, ch.alloc());
                        SmtpServerDecoder decoder =
                                new SmtpServerDecoder(options.maxCommandLine(), options.bareLineFeed());
                        ch.pipeline()
                                .addLast(SmtpSessionHandler.IDLE_HANDLER,
                                        SmtpSessionHandler.idleHandler(options.idleTimeout()))
                                .addLast("encoder", ENCODER)
                                .addLast("decoder", decoder)
                                .addLast("session", new SmtpSessionHandler(session, decoder, limits, ssl,
                                        events::onReply, capture));
                    }
                });
        try {
            Channel channel = bootstrap.bind(settings.listen()).sync().channel();
            return new SinkServer(loops, channel, sessions, limits, capture);
        } catch (Exception e) { // also a BindException, rethrown as is (precise rethrow)
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (capture != null) {
                capture.close();
            }
            throw e;
        }
    }

    /** The bound address (port 0 resolved). */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Sessions open now, not counting connections refused by a limit. */
    public int activeConnections() {
        return limits.active();
    }

    /** Stops accepting, closes every session and frees the event loops. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        sessions.close().awaitUninterruptibly();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (capture != null) {
            capture.close();
        }
    }
}
