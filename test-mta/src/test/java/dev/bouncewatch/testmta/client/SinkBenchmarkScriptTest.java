package dev.bouncewatch.testmta.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs bench/sink-benchmark.sh with smtp-source only (no jar needed), and with smtp-sink standing
 * in for test-mta through TESTMTA_CMD, so both halves and the ratio are exercised before the
 * integrator's {@code serve} exists.
 */
@Timeout(300)
class SinkBenchmarkScriptTest {

    private static final Path SCRIPT = Path.of("bench/sink-benchmark.sh");

    @Test
    void reportsRatesForBothServersAndTheirRatio() throws Exception {
        assumeTrue(Files.isExecutable(PostfixSmtpSink.BINARY) && Files.isExecutable(Path.of("/usr/sbin/smtp-source")),
                "Postfix smtp-sink/smtp-source not installed");
        assumeTrue(Files.isExecutable(SCRIPT), "run from the test-mta module directory");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the script needs python3");
        String user = "root".equals(System.getProperty("user.name")) ? "-u nobody " : "";
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), "quick").redirectErrorStream(true);
        pb.environment().putAll(Map.of(
                "MESSAGES", "200",
                "SESSIONS", "5",
                "RUN_TIMEOUT", "60",
                "CLIENTS", "smtp-source",
                "TESTMTA_CMD", "/usr/sbin/smtp-sink " + user + "127.0.0.1:{port} 100"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        List<String> summary = out.lines().filter(l -> l.startsWith("BENCH_SUMMARY ")).toList();
        assertThat(summary).as(out).hasSize(1);
        JsonNode s = new ObjectMapper().readTree(summary.get(0).substring("BENCH_SUMMARY ".length()));
        assertThat(s.get("messages").asInt()).isEqualTo(200);
        JsonNode rates = s.get("msgs_per_sec").get("smtp-source");
        assertThat(rates.get("smtp-sink").asDouble()).isPositive();
        assertThat(rates.get("test-mta").asDouble()).isPositive();
        assertThat(s.get("ratio_test_mta_to_smtp_sink").get("smtp-source").asDouble())
                .isCloseTo(rates.get("test-mta").asDouble() / rates.get("smtp-sink").asDouble(),
                        org.assertj.core.data.Offset.offset(0.01));
        assertThat(out).containsPattern("smtp-source\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+");
    }
}
