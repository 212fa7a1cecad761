package dev.bouncewatch.agent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs the test scripts that drive real MTAs (postfix-relay.sh, exim-relay.sh). */
final class Scripts {

    private Scripts() {
    }

    /** Runs the command to its end; a failure or a minute without exit throws with its output. */
    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
