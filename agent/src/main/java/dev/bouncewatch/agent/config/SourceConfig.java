package dev.bouncewatch.agent.config;

import dev.bouncewatch.agent.parse.MtaChoice;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One entry of {@code sources:}. */
public sealed interface SourceConfig {

    /** How often a followed file is checked for new lines when nothing arrived. */
    Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

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

        /**
         * The units MTAs log under: Postfix is {@code postfix@-.service} on Debian/Ubuntu and
         * {@code postfix.service} on RHEL/SUSE; Exim is {@code exim4} on Debian, {@code exim} elsewhere.
         */
        public static final List<String> DEFAULT_UNITS = List.of("postfix.service", "postfix@-.service",
                "exim4.service", "exim.service", "opensmtpd.service", "sendmail.service");

        public static final String DEFAULT_JOURNALCTL = "journalctl";
    }

    /**
     * {@code type: sink}: the embedded test-mta.
     *
     * @param scenario YAML scenario file, null for the built-in defaults (magic addresses)
     */
    record Sink(InetSocketAddress listen, Path scenario) implements SourceConfig {

        /** Port 2525 on loopback: a test MTA relays to it; nothing outside this host can. */
        public static final InetSocketAddress DEFAULT_LISTEN = ConfigValues.parseHostPort("127.0.0.1:2525");

        /** On 127.0.0.1:2525 with the built-in scenario (magic addresses). */
        public static Sink builtIn() {
            return new Sink(DEFAULT_LISTEN, null);
        }
    }

    /** {@code type: auto}: what {@code SourceDetector} finds on this host (the zero-config default). */
    record Auto(Duration pollInterval) implements SourceConfig {

        public static Auto defaults() {
            return new Auto(DEFAULT_POLL_INTERVAL);
        }
    }
}
