package dev.bouncewatch.testmta.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;

/** The server's TLS context for STARTTLS: the operator's PEM files, or a self-signed certificate. */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslContext forSettings(ServerSettings settings, String hostname) {
        if (settings.certificateFile() != null) {
            return fromPem(settings.certificateFile(), settings.privateKeyFile());
        }
        try {
            // BouncyCastle is on the classpath, so Netty need not reach into JDK internals (Java 17)
            SelfSignedCertificate certificate = new SelfSignedCertificate(hostname);
            return SslContextBuilder.forServer(certificate.key(), certificate.cert()).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate a self-signed certificate for STARTTLS: " + e, e);
        }
    }

    private static SslContext fromPem(Path certificate, Path key) {
        for (Path p : new Path[] {certificate, key}) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("cannot read TLS file " + p);
            }
        }
        try {
            return SslContextBuilder.forServer(certificate.toFile(), key.toFile()).build();
        } catch (Exception e) {
            throw new IllegalArgumentException("TLS certificate " + certificate + " or key " + key
                    + " is not a usable PEM pair (key must be PKCS#8): " + e.getMessage(), e);
        }
    }
}
