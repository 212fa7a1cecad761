package dev.bouncewatch.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.notify.webhook.WebhookReceiver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing twice, in order: the webhook receiver is down while bounces arrive, the
 * agent is SIGKILLed with the events still in its outbox, the receiver comes back, the agent is
 * started again; afterwards the receiver (which verifies every signature with the official
 * Standard Webhooks library and dedupes on webhook-id) has every event once, in the order the
 * bounces happened.
 */
class WebhookOutageIT {

    private static final int BOUNCES = 40;

    @TempDir
    Path dir;

    @Test
    void everyEventArrivesOnceInOrderAfterAnOutageAndAKill() throws Exception {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        int sinkPort = AgentProcess.freePort();
        int httpPort = AgentProcess.freePort();
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            receiver.stop(); // down: the agent gets "connection refused"
            Path config = dir.resolve("agent.yml");
            Files.writeString(config, """
                    stateDir: %s
                    sources:
                      - type: sink
                        listen: 127.0.0.1:%d
                    http:
                      listen: 127.0.0.1:%d
                    notify:
                      console: false
                      webhooks:
                        - name: crm
                          url: %s
                          secret: %s
                          events: [message.bounced]
                          allowInsecure: true
                      alerts:
                        enabled: false
                      digest:
                        enabled: false
                    """.formatted(dir.resolve("state"), sinkPort, httpPort, receiver.url(), secret));
            Path db = dir.resolve("state/bouncewatch.db");
            try (AgentProcess agent = new AgentProcess(config, dir.resolve("agent.out"), httpPort)) {
                agent.start();
                List<String> recipients = new ArrayList<>();
                for (int i = 0; i < BOUNCES; i++) {
                    recipients.add("550-5.1.1-r%02d@remote.test".formatted(i));
                }
                sendOneMessage(sinkPort, recipients);
                awaitOutbox(db, BOUNCES);
                agent.kill();

                receiver.restart();
                agent.start();
                Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
                while (receiver.acceptedIds().size() < BOUNCES && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                }
                assertThat(agent.stop()).as("exit code after SIGTERM").isZero();

                List<String> arrived = receiver.accepted().stream()
                        .map(r -> r.json().path("data").path("recipient").path("emailAddress").asText())
                        .toList();
                assertThat(receiver.badSignatures()).isZero();
                assertThat(receiver.acceptedIds()).doesNotHaveDuplicates().hasSize(BOUNCES);
                assertThat(arrived).as("recipients in the order they arrived").containsExactlyElementsOf(recipients);
                assertThat(outboxCount(db, "delivered")).isEqualTo(BOUNCES);
                assertThat(outboxCount(db, "pending")).isZero();
            }
        }
    }

    /** One message to every recipient over a plain socket: each RCPT gets the magic address's 550. */
    private static void sendOneMessage(int port, List<String> recipients) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            reply(in, "2");
            command(out, in, "EHLO it.example.test", "2");
            command(out, in, "MAIL FROM:<sender@example.test>", "2");
            for (String r : recipients) {
                command(out, in, "RCPT TO:<" + r + ">", "5");
            }
            command(out, in, "QUIT", "2");
        }
    }

    private static void command(OutputStream out, BufferedReader in, String line, String expect) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        reply(in, expect);
    }

    private static void reply(BufferedReader in, String expect) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        assertThat(line).startsWith(expect);
    }

    private static void awaitOutbox(Path db, int expected) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(db) && outboxCount(db, "pending") >= expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the outbox never held " + expected + " pending events");
    }

    private static int outboxCount(Path db, String state) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox WHERE state = '" + state + "'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
