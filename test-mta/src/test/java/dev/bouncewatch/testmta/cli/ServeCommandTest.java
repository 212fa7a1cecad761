package dev.bouncewatch.testmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Start-up mistakes end with one clear line and a non-zero exit, never a stack trace. */
class ServeCommandTest {

    private record Run(int exit, String err) {
    }

    private static Run serve(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new TestMtaCommand()).setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Run(cmd.execute(all), err.toString());
    }

    @Test
    void portInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = serve("--listen", "127.0.0.1:" + taken.getLocalPort(), "--http", "off");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("address already in use").doesNotContain("\tat ");
        }
    }

    @Test
    void missingTokenFileAndUnwritableEventFileAreNamed(@TempDir Path dir) {
        Run token = serve("--listen", "127.0.0.1:0", "--http", "127.0.0.1:0",
                "--http-token-file", dir.resolve("nope.txt").toString());
        assertThat(token.exit()).isEqualTo(1);
        assertThat(token.err()).contains("--http-token-file").contains("no such file").doesNotContain("\tat ");

        Run events = serve("--listen", "127.0.0.1:0", "--http", "off",
                "--events", dir.resolve("missing/dir/events.jsonl").toString());
        assertThat(events.exit()).isEqualTo(1);
        assertThat(events.err()).contains("--events").doesNotContain("\tat ");
    }

    @Test
    void badAddressIsAUsageError() {
        Run r = serve("--listen", "127.0.0.1:0", "--http", "1.2.3");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--http").contains("HOST:PORT");
    }
}
