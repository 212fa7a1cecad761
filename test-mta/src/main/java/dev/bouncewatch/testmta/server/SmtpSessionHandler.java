package dev.bouncewatch.testmta.server;

import dev.bouncewatch.testmta.session.Answer;
import dev.bouncewatch.testmta.session.ProtocolOptions.StarttlsLeftoverPolicy;
import dev.bouncewatch.testmta.session.SmtpSession;
import dev.bouncewatch.testmta.smtp.CommandLine;
import dev.bouncewatch.testmta.smtp.DataEnd;
import dev.bouncewatch.testmta.smtp.LineError;
import dev.bouncewatch.testmta.smtp.SmtpServerDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.smtp.SmtpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one {@link SmtpSession} to its channel: feeds it what the decoder produces and carries
 * out its answers. Replies are written in order and flushed when input runs dry (RFC 2920); a
 * delayed answer pauses the decoder and {@code autoRead}, so nothing pipelined can overtake it.
 */
final class SmtpSessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSessionHandler.class);
    static final String IDLE_HANDLER = "idle";

    private final SmtpSession session;
    private final SmtpServerDecoder decoder;
    private final ConnectionLimits limits;
    private final SslContext sslContext;
    private final Consumer<TransactionEvent> events;
    private final MessageCapture capture;

    private String clientIp;
    private boolean counted;
    private boolean waiting;
    private boolean stopped;
    private boolean hung;

    SmtpSessionHandler(SmtpSession session, SmtpServerDecoder decoder, ConnectionLimits limits,
                       SslContext sslContext, Consumer<TransactionEvent> events, MessageCapture capture) {
        this.session = session;
        this.decoder = decoder;
        this.limits = limits;
        this.sslContext = sslContext;
        this.events = events;
        this.capture = capture;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        clientIp = ClientAddresses.ip(ctx.channel());
        var options = session.options();
        counted = limits.tryAcquire(clientIp, options.maxConnections(), options.maxConnectionsPerIp());
        carryOut(ctx, counted ? session.greet() : session.tooManyConnections());
        ctx.flush();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopped = true;
        session.release();
        if (counted) {
            counted = false;
            limits.release(clientIp);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (stopped) {
                return;
            }
            Answer answer;
            if (msg instanceof CommandLine line) {
                answer = session.onLine(line.text());
            } else if (msg instanceof LineError error) {
                answer = session.onLineError(error);
            } else if (msg instanceof SmtpContent content) {
                answer = session.onContent(content.content());
            } else if (msg instanceof DataEnd end) {
                answer = session.onDataEnd(end.bareLineFeed(), end.chunk());
            } else {
                answer = null;
            }
            if (answer != null) {
                carryOut(ctx, answer);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (hung) {
            decoder.discardBuffered(); // a hung session reads only to notice the FIN: keep memory bounded
        }
        ctx.flush(); // RFC 2920: all pending replies go out before we wait for input
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (hung) {
                ctx.close(); // a hung server never answers, not even 421
            } else if (!waiting && !stopped) {
                carryOut(ctx, session.idleTimeout());
                ctx.flush();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("session {}: closing after {}", session.sessionId(), cause.toString());
        stopped = true;
        ctx.close();
    }

    private void carryOut(ChannelHandlerContext ctx, Answer answer) {
        if (answer.delay().isZero() || answer.delay().isNegative()) {
            perform(ctx, answer);
            return;
        }
        waiting = true;
        decoder.pause();
        ctx.channel().config().setAutoRead(false);
        ctx.flush(); // the replies before this one are not held back
        ctx.executor().schedule(() -> {
            waiting = false;
            if (!ctx.channel().isActive()) {
                if (answer.capture() != null) {
                    answer.capture().content().release(); // the client never saw the 250: not delivered
                }
                return;
            }
            perform(ctx, answer);
            if (!stopped) {
                restartIdleTimer(ctx);
                ctx.channel().config().setAutoRead(true);
                resumeDecoding(ctx);
            }
            ctx.flush();
        }, answer.delay().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The client waited for us, not the other way round: its idle time starts now. */
    private void restartIdleTimer(ChannelHandlerContext ctx) {
        if (ctx.pipeline().get(IDLE_HANDLER) instanceof IdleStateHandler idle) {
            ctx.pipeline().replace(idle, IDLE_HANDLER, idleHandler(session.options().idleTimeout()));
        }
    }

    static IdleStateHandler idleHandler(Duration timeout) {
        return new IdleStateHandler(Math.max(1, timeout.toMillis()), 0, 0, TimeUnit.MILLISECONDS);
    }

    private void resumeDecoding(ChannelHandlerContext ctx) {
        try {
            decoder.resume(ctx.pipeline().context(decoder));
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    private void perform(ChannelHandlerContext ctx, Answer answer) {
        if (answer.reply() != null) {
            ctx.write(answer.reply()); // the encoder writes a Reply without an SmtpResponse in between
        }
        if (answer.event() != null) {
            report(answer.event());
        }
        if (answer.capture() != null) {
            if (capture != null) {
                capture.write(answer.capture());
            } else {
                answer.capture().content().release();
            }
        }
        decoder.expectAuthResponse(session.awaitingAuthResponse()); // RFC 4954: up to 12288 octets
        switch (answer.action()) {
            case CONTINUE -> { }
            case READ_DATA -> decoder.expectData();
            case READ_CHUNK -> decoder.expectChunk(answer.octets());
            case START_TLS -> startTls(ctx);
            case CLOSE -> {
                stop(ctx);
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            case RESET -> {
                stop(ctx);
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                ctx.channel().close();
            }
            case HANG -> hang(ctx);
        }
    }

    /**
     * Never answers again, but keeps reading so that the client's FIN (or the idle timeout)
     * releases the connection; without reading, a hung session would leak it forever.
     */
    private void hang(ChannelHandlerContext ctx) {
        stop(ctx);
        hung = true;
        decoder.discardBuffered();
        ctx.channel().config().setAutoRead(true);
    }

    private void stop(ChannelHandlerContext ctx) {
        stopped = true;
        decoder.pause();
        ctx.channel().config().setAutoRead(false);
    }

    private void startTls(ChannelHandlerContext ctx) {
        ctx.flush(); // the 220 leaves in plaintext, before the SslHandler exists
        int leftover = decoder.discardBuffered();
        if (leftover > 0) {
            // plaintext pipelined after STARTTLS must never run as a command (CVE-2011-0411)
            LOG.info("session {}: {} plaintext octets after STARTTLS {}", session.sessionId(), leftover,
                    session.options().starttlsLeftover() == StarttlsLeftoverPolicy.CLOSE ? "- closing" : "discarded");
            if (session.options().starttlsLeftover() == StarttlsLeftoverPolicy.CLOSE) {
                stop(ctx);
                ctx.close();
                return;
            }
        }
        SslHandler ssl = sslContext.newHandler(ctx.alloc());
        ctx.pipeline().addFirst("tls", ssl);
        ssl.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                session.tlsEstablished();
            } else {
                LOG.debug("session {}: TLS handshake failed: {}", session.sessionId(), done.cause().toString());
                ctx.close(); // no plaintext reply is possible after the 220
            }
        });
    }

    private void report(TransactionEvent event) {
        try {
            events.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("transaction listener failed on {} reply of session {}", event.stage().configName(),
                    event.sessionId(), e);
        }
    }
}
