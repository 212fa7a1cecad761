package dev.bouncewatch.testmta.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What the load source sends and where.
 *
 * @param server              host and port of the SMTP server (resolved or unresolved)
 * @param connections         concurrent sessions; each runs its share of the messages in sequence
 * @param messages            messages in total, spread evenly over the connections
 * @param recipientsPerMessage RCPT commands per message
 * @param sizeBytes           approximate size of each message in octets, headers included
 * @param pipelining          send MAIL, RCPTs and DATA in one flush when the server offers PIPELINING
 * @param from                sender template, see {@link AddressTemplate}
 * @param to                  recipient template, see {@link AddressTemplate}
 * @param replyTimeout        longest wait for any reply (also the connect timeout)
 * @param maxDuration         the whole run is cut off after this; {@link Duration#ZERO} means no limit
 */
public record LoadOptions(
        InetSocketAddress server,
        int connections,
        long messages,
        int recipientsPerMessage,
        int sizeBytes,
        boolean pipelining,
        AddressTemplate from,
        AddressTemplate to,
        Duration replyTimeout,
        Duration maxDuration) {

    public static final AddressTemplate DEFAULT_FROM = AddressTemplate.parse("load-sender@bouncewatch.test");
    public static final AddressTemplate DEFAULT_TO = AddressTemplate.parse("rcpt{n}.{r}@example.test");

    public LoadOptions {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(replyTimeout, "replyTimeout");
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        if (messages < 0) {
            throw new IllegalArgumentException("messages must be 0 or more, got " + messages);
        }
        if (recipientsPerMessage < 1) {
            throw new IllegalArgumentException("recipients per message must be at least 1, got " + recipientsPerMessage);
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("size must be 0 or more bytes, got " + sizeBytes);
        }
        if (replyTimeout.isNegative() || replyTimeout.isZero()) {
            throw new IllegalArgumentException("reply timeout must be positive, got " + replyTimeout);
        }
        if (maxDuration.isNegative()) {
            throw new IllegalArgumentException("max duration must not be negative, got " + maxDuration);
        }
    }

    /** One connection, one 1 KiB message, no pipelining, default addresses, 30 s timeout. */
    public static LoadOptions to(InetSocketAddress server) {
        return new LoadOptions(server, 1, 1, 1, 1024, false, DEFAULT_FROM, DEFAULT_TO, Duration.ofSeconds(30),
                Duration.ZERO);
    }

    public LoadOptions withConnections(int n) {
        return new LoadOptions(server, n, messages, recipientsPerMessage, sizeBytes, pipelining, from, to,
                replyTimeout, maxDuration);
    }

    public LoadOptions withMessages(long n) {
        return new LoadOptions(server, connections, n, recipientsPerMessage, sizeBytes, pipelining, from, to,
                replyTimeout, maxDuration);
    }

    public LoadOptions withRecipients(int n) {
        return new LoadOptions(server, connections, messages, n, sizeBytes, pipelining, from, to, replyTimeout,
                maxDuration);
    }

    public LoadOptions withSize(int bytes) {
        return new LoadOptions(server, connections, messages, recipientsPerMessage, bytes, pipelining, from, to,
                replyTimeout, maxDuration);
    }

    public LoadOptions withPipelining(boolean on) {
        return new LoadOptions(server, connections, messages, recipientsPerMessage, sizeBytes, on, from, to,
                replyTimeout, maxDuration);
    }

    public LoadOptions withAddresses(AddressTemplate newFrom, AddressTemplate newTo) {
        return new LoadOptions(server, connections, messages, recipientsPerMessage, sizeBytes, pipelining, newFrom,
                newTo, replyTimeout, maxDuration);
    }

    public LoadOptions withReplyTimeout(Duration timeout) {
        return new LoadOptions(server, connections, messages, recipientsPerMessage, sizeBytes, pipelining, from, to,
                timeout, maxDuration);
    }

    public LoadOptions withMaxDuration(Duration limit) {
        return new LoadOptions(server, connections, messages, recipientsPerMessage, sizeBytes, pipelining, from, to,
                replyTimeout, limit);
    }

    /** How many messages connection {@code index} (0-based) sends: an even split, the first ones take the rest. */
    public long messagesFor(int index) {
        long share = messages / connections;
        return share + (index < messages % connections ? 1 : 0);
    }
}
