package dev.bouncewatch.testmta.session;

import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.List;

/**
 * An accepted message to write to the capture directory. The holder owns {@code content} and must
 * release it.
 *
 * @param index the message's number within its session, from 1
 */
public record CapturedMessage(Instant received, String sessionId, int index, String clientIp, String helo,
                              String mailFrom, List<String> recipients, String queueId, ByteBuf content) {
}
