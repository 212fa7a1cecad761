package dev.bouncewatch.testmta.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The load source: opens the connections, lets each {@link LoadSession} run its share of the
 * messages, and returns when every connection has ended (or the run's time limit cut them off).
 * Never hangs on a silent server: every wait for a reply is bounded by the reply timeout.
 */
public final class SmtpLoadClient {

    /** Longest reply line accepted; RFC 5321 4.5.3.1.5 allows 512, servers send more in practice. */
    private static final int MAX_REPLY_LINE = 4096;

    private SmtpLoadClient() {
    }

    public static LoadResult run(LoadOptions options) throws InterruptedException {
        return run(options, MessageBody.generate(options.sizeBytes(), options.from().expand(1, 0, 1)));
    }

    /** Runs with a given message instead of a generated one (its size option is then ignored). */
    static LoadResult run(LoadOptions options, MessageBody body) throws InterruptedException {
        LoadStats stats = new LoadStats();
        int threads = Math.min(options.connections(), Math.max(1, Runtime.getRuntime().availableProcessors()));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        long start = System.nanoTime();
        long end;
        try {
            CountDownLatch ended = new CountDownLatch(options.connections());
            List<Channel> channels = new ArrayList<>();
            long firstMessage = 1;
            for (int i = 0; i < options.connections(); i++) {
                long share = options.messagesFor(i);
                ChannelFuture connect = bootstrap(group, options, stats, body, i + 1, firstMessage, share)
                        .connect(options.server());
                firstMessage += share;
                channels.add(connect.channel());
                connect.addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        f.channel().closeFuture().addListener(c -> ended.countDown());
                    } else {
                        stats.connectionError("connect failed: " + describe(f.cause()));
                        ended.countDown();
                    }
                });
            }
            awaitAll(ended, options.maxDuration(), channels);
            end = System.nanoTime();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        return stats.result(options, Duration.ofNanos(end - start));
    }

    private static Bootstrap bootstrap(EventLoopGroup group, LoadOptions options, LoadStats stats, MessageBody body,
            int connection, long firstMessage, long share) {
        long timeoutMillis = options.replyTimeout().toMillis();
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("timeout", new ReadTimeoutHandler(timeoutMillis, TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("decoder", new SmtpResponseDecoder(MAX_REPLY_LINE));
                        ch.pipeline().addLast("encoder", new SmtpRequestEncoder());
                        ch.pipeline().addLast("session",
                                new LoadSession(options, stats, body, connection, firstMessage, share));
                    }
                });
    }

    private static void awaitAll(CountDownLatch ended, Duration limit, List<Channel> channels)
            throws InterruptedException {
        if (limit.isZero()) {
            ended.await();
            return;
        }
        if (ended.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
            return;
        }
        for (Channel ch : channels) {
            ch.eventLoop().execute(() -> {
                LoadSession session = ch.pipeline().get(LoadSession.class);
                if (session != null && ch.isActive()) {
                    session.abort(ch.pipeline().context(session), "run time limit reached");
                } else {
                    ch.close(); // still connecting: the failed connect is counted by its listener
                }
            });
        }
        // closing is quick; the bound only guards against a wedged event loop
        ended.await(10, TimeUnit.SECONDS);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
