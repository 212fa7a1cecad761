package dev.bouncewatch.testmta.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The load source against hand-scripted servers, to see exactly what goes over the wire. */
@Timeout(120)
class SmtpLoadClientRawSocketTest {

    @Test
    void pipelinesMailRcptsAndDataAndDotStuffsTheBody() throws Exception {
        String message = "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nplain\r\n";
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(30_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    List<String> lines = new ArrayList<>();
                    reply(out, "220 raw ESMTP");
                    lines.add(in.readLine());
                    reply(out, "250-raw\r\n250-PIPELINING\r\n250 8BITMIME");
                    // answer nothing until the whole batch is in: a client that waits would deadlock here
                    for (int i = 0; i < 4; i++) {
                        lines.add(in.readLine());
                    }
                    reply(out, "250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.1.5 ok\r\n354 go on");
                    String line;
                    while (!(line = in.readLine()).equals(".")) {
                        lines.add(line);
                    }
                    lines.add(line);
                    reply(out, "250 2.0.0 queued");
                    lines.add(in.readLine());
                    reply(out, "221 bye");
                    return lines;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            LoadOptions options = LoadOptions.to(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()))
                    .withRecipients(2).withPipelining(true)
                    .withAddresses(AddressTemplate.parse("from{n}@a.test"), AddressTemplate.parse("to{n}-{r}@b.test"));

            LoadResult r = SmtpLoadClient.run(options, MessageBody.of(message));
            List<String> lines = seen.get(60, TimeUnit.SECONDS);

            assertThat(r.accepted()).isEqualTo(1);
            assertThat(lines.get(0)).startsWith("EHLO ");
            assertThat(lines.subList(1, 5)).containsExactly(
                    "MAIL FROM:<from1@a.test>", "RCPT TO:<to1-1@b.test>", "RCPT TO:<to1-2@b.test>", "DATA");
            assertThat(lines.get(5)).startsWith("Message-ID: <1.1.");
            assertThat(lines.subList(6, lines.size())).containsExactly(
                    "Subject: dots", "", "..leading dot", "...two dots", "..", "plain", ".", "QUIT");
        }
    }

    @Test
    void pipelinedRejectionResetsAndTheNextMessageStillGoesThrough() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(30_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    List<String> lines = new ArrayList<>();
                    reply(out, "220 raw");
                    in.readLine();
                    reply(out, "250-raw\r\n250 PIPELINING");
                    for (int i = 0; i < 3; i++) {
                        lines.add(in.readLine());
                    }
                    reply(out, "250 2.1.0 ok\r\n550 5.1.1 no such user\r\n554 5.5.1 no valid recipients");
                    lines.add(in.readLine());
                    reply(out, "250 2.0.0 reset");
                    for (int i = 0; i < 3; i++) {
                        lines.add(in.readLine());
                    }
                    reply(out, "250 2.1.0 ok\r\n250 2.1.5 ok\r\n354 go on");
                    String line;
                    while (!(line = in.readLine()).equals(".")) {
                        // body
                    }
                    reply(out, "250 2.0.0 queued");
                    lines.add(in.readLine());
                    reply(out, "221 bye");
                    return lines;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            LoadOptions options = LoadOptions.to(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()))
                    .withMessages(2).withPipelining(true)
                    .withAddresses(AddressTemplate.parse("s@a.test"), AddressTemplate.parse("r{n}@b.test"));

            LoadResult r = SmtpLoadClient.run(options);

            assertThat(seen.get(60, TimeUnit.SECONDS)).containsExactly(
                    "MAIL FROM:<s@a.test>", "RCPT TO:<r1@b.test>", "DATA", "RSET",
                    "MAIL FROM:<s@a.test>", "RCPT TO:<r2@b.test>", "DATA", "QUIT");
            assertThat(r.accepted()).isEqualTo(1);
            assertThat(r.failed()).isEqualTo(1);
            assertThat(r.count(ClientStage.RCPT, 550)).isEqualTo(1);
            assertThat(r.count(ClientStage.DATA, 554)).isEqualTo(1);
            assertThat(r.connectionErrors()).isEmpty();
        }
    }

    @Test
    void withoutPipeliningWaitsForEachReply() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(30_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    List<String> lines = new ArrayList<>();
                    reply(out, "220 raw");
                    lines.add(in.readLine());
                    reply(out, "250-raw\r\n250 PIPELINING");
                    lines.add(in.readLine());
                    // the client must not have sent RCPT yet: nothing more is readable until we answer
                    lines.add(in.ready() ? "EARLY " + in.readLine() : "waited");
                    reply(out, "550 5.7.1 sender refused");
                    lines.add(in.readLine());
                    reply(out, "221 bye");
                    return lines;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            LoadResult r = SmtpLoadClient.run(LoadOptions.to(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort())));

            assertThat(seen.get(60, TimeUnit.SECONDS)).containsExactly(
                    "EHLO load.bouncewatch.test", "MAIL FROM:<load-sender@bouncewatch.test>", "waited", "QUIT");
            assertThat(r.count(ClientStage.MAIL, 550)).isEqualTo(1);
            assertThat(r.failed()).isEqualTo(1);
        }
    }

    @Test
    void silentServerTimesOutAndReportsInsteadOfHanging() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // accepted by the kernel's backlog, never answered
            LoadOptions options = LoadOptions.to(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()))
                    .withConnections(2).withMessages(4).withReplyTimeout(Duration.ofMillis(500));

            LoadResult r = SmtpLoadClient.run(options);

            assertThat(r.connected()).isEqualTo(2);
            assertThat(r.attempted()).isZero();
            assertThat(r.unsent()).isEqualTo(4);
            assertThat(r.connectionErrors()).containsEntry("timeout waiting for greeting reply", 2L);
        }
    }

    @Test
    void runTimeLimitCutsOffAServerThatStallsMidTransaction() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> script = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    reply(out, "220 raw");
                    in.readLine();
                    reply(out, "250 raw");
                    in.readLine(); // MAIL, never answered; wait for the client to give up
                    while (in.read() >= 0) {
                        // drain until the client closes
                    }
                } catch (IOException ignored) {
                    // the client resetting the connection is fine
                }
            });
            LoadOptions options = LoadOptions.to(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()))
                    .withReplyTimeout(Duration.ofMinutes(10)).withMaxDuration(Duration.ofSeconds(5));

            LoadResult r = SmtpLoadClient.run(options);
            script.get(60, TimeUnit.SECONDS);

            assertThat(r.attempted()).isEqualTo(1);
            assertThat(r.failed()).isEqualTo(1);
            assertThat(r.connectionErrors()).containsEntry("run time limit reached", 1L);
        }
    }

    @Test
    void refusedConnectionIsReportedNotThrown() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        LoadResult r = SmtpLoadClient.run(LoadOptions.to(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .withConnections(2).withMessages(2));

        assertThat(r.connected()).isZero();
        assertThat(r.unsent()).isEqualTo(2);
        assertThat(r.connectionErrorCount()).isEqualTo(2);
        assertThat(r.connectionErrors().keySet()).allMatch(k -> k.startsWith("connect failed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 400 Bad Request", "220-", "hugeline"})
    void garbageInsteadOfRepliesIsAProtocolError(String garbage) throws Exception {
        String greeting = garbage.equals("hugeline") ? "220 " + "x".repeat(100_000) : garbage;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> script = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    reply(s.getOutputStream(), greeting);
                    if (greeting.equals("220-")) {
                        s.shutdownOutput(); // a continuation line and then nothing: the reply never completes
                    }
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // closed by the client
                }
            });
            LoadResult r = SmtpLoadClient.run(LoadOptions.to(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort())));
            script.get(60, TimeUnit.SECONDS);

            assertThat(r.connectionErrors()).hasSize(1);
            assertThat(r.connectionErrors().keySet().iterator().next())
                    .matches("(malformed reply|closed by server before) .*greeting reply");
            assertThat(r.unsent()).isEqualTo(1);
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
