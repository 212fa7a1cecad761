package dev.bouncewatch.testmta.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class TlsSettingsTest {

    @TempDir
    Path dir;

    @Test
    void operatorPemFilesAreServedOnStarttls() throws Exception {
        SelfSignedCertificate own = new SelfSignedCertificate("mx.operator.test");
        try (SinkServer server = SinkServer.start(new ServerSettings(new InetSocketAddress("127.0.0.1", 0),
                own.certificate().toPath(), own.privateKey().toPath(), null),
                new ScenarioHolder(Scenario.ACCEPT_ALL, null), TransactionListener.NONE);
             RawSmtpClient c = new RawSmtpClient(server.address())) {
            c.reply();
            c.command("EHLO c");
            assertThat(c.command("STARTTLS")).startsWith("220 2.0.0");
            c.startTls();
            assertThat(c.peerCertificate()).isEqualTo(own.cert());
            assertThat(c.command("EHLO c")).startsWith("250 ");
        } finally {
            own.delete();
        }
    }

    @Test
    void unusablePemNamesTheFiles() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key");
        assertThatThrownBy(() -> SinkServer.start(new ServerSettings(new InetSocketAddress("127.0.0.1", 0), cert, key,
                null), new ScenarioHolder(Scenario.ACCEPT_ALL, null), TransactionListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cert.pem")
                .hasMessageContaining("key.pem");
        assertThatThrownBy(() -> SinkServer.start(new ServerSettings(new InetSocketAddress("127.0.0.1", 0),
                dir.resolve("missing.pem"), key, null), new ScenarioHolder(Scenario.ACCEPT_ALL, null),
                TransactionListener.NONE)).hasMessageContaining("missing.pem");
    }
}
