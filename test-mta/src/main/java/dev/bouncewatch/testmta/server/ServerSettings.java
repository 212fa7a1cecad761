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
 */
public record ServerSettings(InetSocketAddress listen, Path certificateFile, Path privateKeyFile, Path captureDir) {

    public ServerSettings {
        Objects.requireNonNull(listen, "listen");
        if ((certificateFile == null) != (privateKeyFile == null)) {
            throw new IllegalArgumentException("give both a certificate and a private key, or neither");
        }
    }

    /** Loopback, the given port, self-signed TLS, no capture. */
    public static ServerSettings loopback(int port) {
        return new ServerSettings(new InetSocketAddress("127.0.0.1", port), null, null, null);
    }
}
