package dev.bouncewatch.testmta.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.testmta.client.PostfixSmtpSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(120)
class SendCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TestMtaCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void jsonReportIsOneObjectWithRateAndTally() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start("-r", "rcpt")) {
            Run r = run("send", "--server", "127.0.0.1:" + sink.port(), "--connections", "2", "--messages", "6",
                    "--recipients", "2", "--size", "2000", "--json");

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out().strip().lines()).hasSize(1);
            JsonNode j = new ObjectMapper().readTree(r.out());
            assertThat(j.get("messages").get("attempted").asLong()).isEqualTo(6);
            assertThat(j.get("messages").get("failed").asLong()).isEqualTo(6);
            assertThat(j.get("replies").get("rcpt").get("450").asLong()).isEqualTo(12);
            assertThat(j.get("messages_per_second").asDouble()).isPositive();
            assertThat(j.get("connection_errors").size()).isZero();
        }
    }

    @Test
    void tableReportShowsRateAndRepliesByStage() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start()) {
            Run r = run("send", "--server", "127.0.0.1:" + sink.port(), "--messages", "5", "--pipelining");

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("5 accepted", "messages/s").containsPattern("data_end\\s+250\\s+5\\b");
        }
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        Run badServer = run("send", "--server", "localhost");
        Run badPort = run("send", "--server", "127.0.0.1:99999");
        Run badTemplate = run("send", "--server", "127.0.0.1:25", "--to", "x{y}@example.test");
        Run badCount = run("send", "--server", "127.0.0.1:25", "--connections", "0");

        assertThat(badServer.exit()).isEqualTo(2);
        assertThat(badServer.err()).contains("--server: expected HOST:PORT");
        assertThat(badPort.err()).contains("port must be 1..65535");
        assertThat(badTemplate.err()).contains("unknown placeholder {y}");
        assertThat(badCount.exit()).isEqualTo(2);
        assertThat(badCount.err()).contains("connections must be at least 1");
    }

    @Test
    void parsesIpv6AndHostnames() {
        InetSocketAddress v6 = HostPort.parseUnresolved("[::1]:2525", "--server");
        assertThat(v6.getHostString()).isEqualTo("::1");
        assertThat(v6.getPort()).isEqualTo(2525);
        assertThat(HostPort.parseUnresolved("mx.example.test:25", "--server").getHostString()).isEqualTo("mx.example.test");
        assertThatThrownBy(() -> HostPort.parseUnresolved("::1:25", "--server")).hasMessageContaining("HOST:PORT");
    }

    @Test
    void nothingListeningExitsWithOne() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Run r = run("send", "--server", "127.0.0.1:" + port, "--messages", "1", "--timeout", "5");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("connect failed");
    }
}
