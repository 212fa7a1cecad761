package dev.bouncewatch.testmta.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.DefaultSmtpContent;
import io.netty.handler.codec.smtp.LastSmtpContent;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.timeout.ReadTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * One load connection: greeting, EHLO once, then its share of messages one after another
 * (MAIL, RCPTs, DATA, body), then QUIT. Replies are matched to commands through a queue of the
 * stages still waiting for an answer, which is what makes PIPELINING (RFC 2920) work: MAIL, every
 * RCPT and DATA go out in one flush and their replies come back in order.
 *
 * <p>Whatever the server answers at any stage, the session moves on (next message, or QUIT); a 421
 * or a closed connection ends it, and the read timeout ends a stalled one. Each attempted message
 * is counted exactly once as accepted or failed.
 */
final class LoadSession extends SimpleChannelInboundHandler<SmtpResponse> {

    private final LoadOptions options;
    private final LoadStats stats;
    private final MessageBody body;
    private final int connection;
    private final long firstMessage;
    private final long messageCount;

    private final Deque<ClientStage> awaiting = new ArrayDeque<>();
    private boolean pipelining;
    private long sent;
    private boolean messageOpen;
    private boolean mailAccepted;
    private int rcptAnswered;
    private int rcptAccepted;
    private boolean quitSent;
    private boolean ended;

    /**
     * @param connection   1-based number of this connection
     * @param firstMessage run-wide number of this connection's first message (1-based)
     */
    LoadSession(LoadOptions options, LoadStats stats, MessageBody body, int connection, long firstMessage,
            long messageCount) {
        this.options = options;
        this.stats = stats;
        this.body = body;
        this.connection = connection;
        this.firstMessage = firstMessage;
        this.messageCount = messageCount;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.connected();
        awaiting.add(ClientStage.GREETING);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse response) {
        ClientStage stage = awaiting.poll();
        if (stage == null) {
            // a reply nobody asked for: the server is out of step with us, nothing sensible follows
            fail(ctx, "unexpected reply " + response.code() + " with no command outstanding");
            return;
        }
        int code = response.code();
        stats.reply(stage, code);
        if (code == 421) {
            // RFC 5321 3.8: the server is shutting the channel; whatever is in flight is lost
            closeMessage(false);
            fail(ctx, "421 from server at " + stage.label());
            return;
        }
        boolean ok = code >= 200 && code < 300;
        switch (stage) {
            case GREETING -> {
                if (ok) {
                    send(ctx, ClientStage.EHLO, SmtpRequests.ehlo("load.bouncewatch.test"));
                } else {
                    stats.connectionError("greeting refused with " + code);
                    quit(ctx);
                }
            }
            case EHLO -> {
                if (ok) {
                    pipelining = options.pipelining() && advertisesPipelining(response);
                    nextMessage(ctx);
                } else if (code >= 500) {
                    // an SMTP-only server (RFC 5321 3.2): fall back to HELO
                    send(ctx, ClientStage.HELO, SmtpRequests.helo("load.bouncewatch.test"));
                } else {
                    stats.connectionError("EHLO refused with " + code);
                    quit(ctx);
                }
            }
            case HELO -> {
                if (ok) {
                    nextMessage(ctx);
                } else {
                    stats.connectionError("HELO refused with " + code);
                    quit(ctx);
                }
            }
            case MAIL -> {
                mailAccepted = ok;
                if (!pipelining) {
                    if (ok) {
                        sendRcpt(ctx, 1);
                    } else {
                        closeMessage(false); // no transaction was opened, nothing to reset
                        nextMessage(ctx);
                    }
                }
            }
            case RCPT -> {
                rcptAnswered++;
                if (ok) {
                    rcptAccepted++;
                }
                if (!pipelining) {
                    if (rcptAnswered < options.recipientsPerMessage()) {
                        sendRcpt(ctx, rcptAnswered + 1);
                    } else if (rcptAccepted > 0) {
                        send(ctx, ClientStage.DATA, SmtpRequests.data());
                    } else {
                        closeMessage(false);
                        send(ctx, ClientStage.RSET, SmtpRequests.rset());
                    }
                }
            }
            case DATA -> {
                if (code == 354) {
                    sendContent(ctx, mailAccepted && rcptAccepted > 0);
                } else {
                    closeMessage(false);
                    // RSET also takes the encoder out of its "content expected" state after a pipelined DATA
                    send(ctx, ClientStage.RSET, SmtpRequests.rset());
                }
            }
            case DATA_END -> {
                closeMessage(ok && mailAccepted && rcptAccepted > 0);
                nextMessage(ctx);
            }
            case RSET -> nextMessage(ctx);
            case QUIT -> {
                ended = true;
                ctx.close();
            }
            default -> throw new IllegalStateException("unhandled stage " + stage);
        }
    }

    private static boolean advertisesPipelining(SmtpResponse ehlo) {
        for (CharSequence line : ehlo.details()) {
            String keyword = line.toString().trim().split(" ", 2)[0];
            if (keyword.equalsIgnoreCase("PIPELINING")) {
                return true;
            }
        }
        return false;
    }

    private void nextMessage(ChannelHandlerContext ctx) {
        if (sent >= messageCount) {
            quit(ctx);
            return;
        }
        long number = firstMessage + sent;
        sent++;
        stats.attempted();
        messageOpen = true;
        mailAccepted = false;
        rcptAnswered = 0;
        rcptAccepted = 0;
        String from = options.from().expand(number, 0, connection);
        if (!pipelining) {
            send(ctx, ClientStage.MAIL, SmtpRequests.mail(from));
            return;
        }
        write(ctx, ClientStage.MAIL, SmtpRequests.mail(from));
        for (int r = 1; r <= options.recipientsPerMessage(); r++) {
            write(ctx, ClientStage.RCPT, SmtpRequests.rcpt(options.to().expand(number, r, connection)));
        }
        write(ctx, ClientStage.DATA, SmtpRequests.data());
        ctx.flush();
    }

    private void sendRcpt(ChannelHandlerContext ctx, int recipient) {
        long number = firstMessage + sent - 1;
        send(ctx, ClientStage.RCPT, SmtpRequests.rcpt(options.to().expand(number, recipient, connection)));
    }

    /**
     * After 354. With no accepted recipient (a pipelining server that still said 354) only the
     * terminating dot goes out, as RFC 2920 3.1 asks.
     */
    private void sendContent(ChannelHandlerContext ctx, boolean withMessage) {
        awaiting.add(ClientStage.DATA_END);
        if (withMessage) {
            long number = firstMessage + sent - 1;
            String messageId = "Message-ID: <" + number + "." + connection + "." + Long.toHexString(System.nanoTime())
                    + "@load.bouncewatch.test>\r\n";
            ByteBuf header = Unpooled.copiedBuffer(messageId, StandardCharsets.US_ASCII);
            ctx.write(new DefaultSmtpContent(header));
            ctx.writeAndFlush(new DefaultLastSmtpContent(body.content())).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        } else {
            ctx.writeAndFlush(LastSmtpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
    }

    private void quit(ChannelHandlerContext ctx) {
        quitSent = true;
        send(ctx, ClientStage.QUIT, SmtpRequests.quit());
    }

    private void write(ChannelHandlerContext ctx, ClientStage stage, Object request) {
        awaiting.add(stage);
        ctx.write(request).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private void send(ChannelHandlerContext ctx, ClientStage stage, Object request) {
        write(ctx, stage, request);
        ctx.flush();
    }

    private void closeMessage(boolean accepted) {
        if (messageOpen) {
            messageOpen = false;
            stats.finished(accepted);
        }
    }

    /** Ends the session abnormally, counting the reason once. */
    private void fail(ChannelHandlerContext ctx, String reason) {
        closeMessage(false);
        if (!ended) {
            ended = true;
            stats.connectionError(reason);
        }
        ctx.close();
    }

    /** Called by the runner when the run's time limit is reached; runs on the channel's event loop. */
    void abort(ChannelHandlerContext ctx, String reason) {
        fail(ctx, reason);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!ended && !quitSent) {
            ClientStage waitingFor = awaiting.peek();
            fail(ctx, "closed by server" + (waitingFor == null ? "" : " before " + waitingFor.label() + " reply"));
        } else {
            // a server may close right after QUIT without a 221; that is a clean end
            closeMessage(false);
            ended = true;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ClientStage waitingFor = awaiting.peek();
        String during = waitingFor == null ? "" : " waiting for " + waitingFor.label() + " reply";
        if (cause instanceof ReadTimeoutException) {
            fail(ctx, "timeout" + during);
        } else if (cause instanceof DecoderException) {
            fail(ctx, "malformed reply" + during);
        } else {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            fail(ctx, "I/O error" + during + ": " + message.toLowerCase(Locale.ROOT));
        }
    }
}
