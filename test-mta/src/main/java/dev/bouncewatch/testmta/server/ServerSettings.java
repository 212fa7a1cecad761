package dev.bouncewatch.testmta.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how the sink listens; fixed for the server's life (the scenario, which can be
 * replaced at runtime, holds everything else).
 *
 * @param listen          address to bind; port 0 picks a free port
 * @param certificateFile PEM certificate chain for STARTTLS, or null to generate a self-signed one
 * @param privateKeyFile  PEM private key (PKCS#8) matching the certificate, or null
 * @param captureDir      directory to write accepted messages to as .eml files, or null (off)
 * @param eventLoops      threads that accept and run sessions; 0 for {@link #defaultEventLoops()}
 */
public record ServerSettings(InetSocketAddress listen, Path certificateFile, Path privateKeyFile, Path captureDir,
                             int eventLoops) {

    public ServerSettings {
        Objects.requireNonNull(listen, "listen");
        if (eventLoops < 0) {
            throw new IllegalArgumentException("event loops must be 0 (default) or more, got " + eventLoops);
        }
        if ((certificateFile == null) != (privateKeyFile == null)) {
            throw new IllegalArgumentException("give both a certificate and a private key, or neither");
        }
    }

    /** With the default number of event loops. */
    public ServerSettings(InetSocketAddress listen, Path certificateFile, Path privateKeyFile, Path captureDir) {
        this(listen, certificateFile, privateKeyFile, captureDir, 0);
    }

    /** Loopback, the given port, self-signed TLS, no capture. */
    public static ServerSettings loopback(int port) {
        return new ServerSettings(new InetSocketAddress("127.0.0.1", port), null, null, null);
    }

    /**
     * Half the processors, at least one. A session costs a few microseconds of Java per reply; the
     * rest is system calls and thread hand-offs, which more threads than cores only multiply (on
     * 2 cores, Netty's default of 2 per core plus an acceptor thread took 1.5-2x the CPU per
     * message). The other half is left to the load generator, usually on the same host.
     */
    public static int defaultEventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** The number of event loops to start. */
    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : defaultEventLoops();
    }
}
