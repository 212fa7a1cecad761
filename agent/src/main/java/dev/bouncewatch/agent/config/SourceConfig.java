package dev.bouncewatch.agent.config;

import dev.bouncewatch.agent.parse.MtaChoice;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One entry of {@code sources:}. */
public sealed interface SourceConfig {

    /** {@code type: file}: a log file followed across rotations. */
    record File(Path path, MtaChoice format, Duration pollInterval) implements SourceConfig {
    }

    /**
     * {@code type: journal}: {@code journalctl --follow --output=json} with these matches.
     *
     * @param units       {@code _SYSTEMD_UNIT} values (ORed); default the MTAs' units
     * @param identifiers {@code SYSLOG_IDENTIFIER} values (ORed with the units)
     * @param journalctl  the command, default {@code journalctl}
     * @param directory   {@code --directory}, null for the system journal
     */
    record Journal(List<String> units, List<String> identifiers, String journalctl, Path directory)
            implements SourceConfig {
    }

    /**
     * {@code type: sink}: the embedded test-mta.
     *
     * @param scenario YAML scenario file, null for the built-in defaults (magic addresses)
     */
    record Sink(InetSocketAddress listen, Path scenario) implements SourceConfig {
    }

    /** {@code type: auto}: what {@code SourceDetector} finds on this host (the zero-config default). */
    record Auto(Duration pollInterval) implements SourceConfig {
    }
}
