package dev.bouncewatch.testmta.session;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the sink speaks SMTP, RFC-correct by default. A scenario file's {@code protocol:} section
 * overrides these; the server reads them once per session.
 *
 * @param hostname             name in the greeting and EHLO reply
 * @param advertised           extensions listed in the EHLO reply (AUTH only counts when users exist)
 * @param refused              extensions advertised but answered with an error, for client tests
 * @param sizeLimit            octets; 0 means no limit (EHLO shows {@code SIZE 0})
 * @param maxRecipients        per transaction; more get {@code 452 4.5.3}
 * @param maxCommandLine       octets including CRLF; longer gets {@code 500 5.5.2}, session continues
 * @param bareLineFeed         what to do with a bare LF in commands or DATA (SMTP smuggling)
 * @param starttlsLeftover     what to do with plaintext pipelined after STARTTLS
 * @param idleTimeout          no input for this long: {@code 421 4.4.2} and close
 * @param authUsers            user name to password for AUTH PLAIN/LOGIN; empty: AUTH not offered
 * @param requireTls           {@code 530 5.7.0} for MAIL/RCPT/DATA/AUTH before STARTTLS
 * @param requireAuth          {@code 530 5.7.0} for MAIL before AUTH
 * @param maxConnections       global concurrent sessions; 0 means unlimited
 * @param maxConnectionsPerIp  per client address; 0 means unlimited
 * @param magicAddresses       recipients like {@code 550-5.1.1@x} answer with that code
 */
public record ProtocolOptions(
        String hostname,
        Set<Extension> advertised,
        Set<Extension> refused,
        long sizeLimit,
        int maxRecipients,
        int maxCommandLine,
        BareLineFeedPolicy bareLineFeed,
        StarttlsLeftoverPolicy starttlsLeftover,
        Duration idleTimeout,
        Map<String, String> authUsers,
        boolean requireTls,
        boolean requireAuth,
        int maxConnections,
        int maxConnectionsPerIp,
        boolean magicAddresses) {

    public enum BareLineFeedPolicy {
        /** Refuse the command or message ({@code 500 5.5.2} / {@code 550 5.5.2} after the dot). */
        REJECT,
        /** Treat a bare LF as a line end in commands and as CRLF in data; never as end of data. */
        ACCEPT
    }

    public enum StarttlsLeftoverPolicy {
        /** Drop the bytes and go on with the handshake (Postfix). */
        DISCARD,
        /** Close the connection (Apache James). */
        CLOSE
    }

    public ProtocolOptions {
        Objects.requireNonNull(hostname, "hostname");
        advertised = Set.copyOf(advertised);
        refused = Set.copyOf(refused);
        authUsers = Map.copyOf(authUsers);
        Objects.requireNonNull(bareLineFeed, "bareLineFeed");
        Objects.requireNonNull(starttlsLeftover, "starttlsLeftover");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (sizeLimit < 0 || maxRecipients < 1 || maxCommandLine < 512 || maxConnections < 0
                || maxConnectionsPerIp < 0) {
            throw new IllegalArgumentException("limits out of range");
        }
    }

    public static final long DEFAULT_SIZE_LIMIT = 50L * 1024 * 1024;

    public static ProtocolOptions defaults() {
        return new ProtocolOptions(
                "test-mta.localhost",
                EnumSet.of(Extension.PIPELINING, Extension.SIZE, Extension.EIGHTBITMIME, Extension.SMTPUTF8,
                        Extension.ENHANCEDSTATUSCODES, Extension.CHUNKING, Extension.STARTTLS, Extension.AUTH),
                Set.of(),
                DEFAULT_SIZE_LIMIT,
                100,
                2048,
                BareLineFeedPolicy.REJECT,
                StarttlsLeftoverPolicy.DISCARD,
                Duration.ofSeconds(300),
                Map.of(),
                false,
                false,
                1000,
                0,
                true);
    }

    /** True when the EHLO reply lists this extension (AUTH also needs users). */
    public boolean advertises(Extension e) {
        if (e == Extension.AUTH && authUsers.isEmpty()) {
            return false;
        }
        return advertised.contains(e);
    }

    public ProtocolOptions withAuthUsers(Map<String, String> users) {
        return new ProtocolOptions(hostname, advertised, refused, sizeLimit, maxRecipients, maxCommandLine,
                bareLineFeed, starttlsLeftover, idleTimeout, users, requireTls, requireAuth, maxConnections,
                maxConnectionsPerIp, magicAddresses);
    }

    public ProtocolOptions withIdleTimeout(Duration timeout) {
        return new ProtocolOptions(hostname, advertised, refused, sizeLimit, maxRecipients, maxCommandLine,
                bareLineFeed, starttlsLeftover, timeout, authUsers, requireTls, requireAuth, maxConnections,
                maxConnectionsPerIp, magicAddresses);
    }
}
