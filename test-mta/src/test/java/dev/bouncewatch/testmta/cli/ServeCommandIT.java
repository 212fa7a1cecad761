package dev.bouncewatch.testmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a user runs it: {@code serve} in its own process, a scenario installed over
 * the control API, load from {@code send} (another process), and the effect seen in the events
 * file and the metrics.
 */
class ServeCommandIT {

    private static final Path JAR = Path.of("target/test-mta.jar").toAbsolutePath();
    private static final Pattern READY = Pattern.compile(
            "test-mta listening on 127\\.0\\.0\\.1:(\\d+).*control API on http://127\\.0\\.0\\.1:(\\d+)");

    @Test
    void servesReloadsOverHttpAndRecordsEveryReply(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("events.jsonl");
        Process serve = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--listen", "127.0.0.1:0",
                "--http", "127.0.0.1:0", "--events", events.toString()).redirectErrorStream(true).start();
        try {
            Matcher ready = awaitReady(serve);
            int smtpPort = Integer.parseInt(ready.group(1));
            URI api = URI.create("http://127.0.0.1:" + ready.group(2));
            HttpClient http = HttpClient.newHttpClient();

            String scenario = """
                    version: 1
                    rules:
                      - id: all-full
                        when: { stage: rcpt, rcpt_domain: full.test }
                        then: { reply: "452 4.2.2 Mailbox full" }
                    """;
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(api.resolve("/scenario"))
                    .PUT(HttpRequest.BodyPublishers.ofString(scenario)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(api.resolve("/scenario"))
                    .PUT(HttpRequest.BodyPublishers.ofString("rules: [ { id: x, when: { stage: nope } } ]")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(bad.body()).contains("stage");

            Process send = new ProcessBuilder(java(), "-jar", JAR.toString(), "send", "--server",
                    "127.0.0.1:" + smtpPort, "--connections", "2", "--messages", "20", "--to", "user{n}@full.test",
                    "--json").redirectErrorStream(false).start();
            String out = new String(send.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(send.waitFor(60, TimeUnit.SECONDS)).isTrue();
            JsonNode result = new ObjectMapper().readTree(out);
            assertThat(result.toString()).contains("452");

            String metrics = http.send(HttpRequest.newBuilder(api.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("testmta_replies_total{stage=\"rcpt\",code=\"452\",rule=\"all-full\"} 20");
            assertThat(metrics).contains("testmta_scenario_version 2");
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
        }
        // the event file is flushed on shutdown and holds one line per reply, the 452s among them
        List<String> lines = Files.readAllLines(events);
        assertThat(lines).filteredOn(l -> l.contains("\"code\":452") && l.contains("\"rule\":\"all-full\"")).hasSize(20);
    }

    private static Matcher awaitReady(Process serve) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = READY.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "serve-output");
                drain.setDaemon(true);
                drain.start();
                return m;
            }
        }
        throw new AssertionError("serve did not report ready:\n" + seen);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
