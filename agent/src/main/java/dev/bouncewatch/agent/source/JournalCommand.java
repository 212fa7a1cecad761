package dev.bouncewatch.agent.source;

import dev.bouncewatch.agent.config.SourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code journalctl} command line for a journal source: JSON, every field in full, follow, and
 * where to begin. The matches select the MTAs' entries:
 * <ul>
 *   <li>by default the MTAs' systemd units (Debian's {@code postfix@-.service}, RHEL's
 *       {@code postfix.service}, Exim, Sendmail, OpenSMTPD) <em>or</em> the syslog mail facility
 *       ({@code SYSLOG_FACILITY=2}, what {@code report} reads). The facility catches MTAs outside those
 *       units (a second Postfix instance {@code postfix@out.service}, a container, an Exim delivery
 *       forked by a web application's sendmail call) and any {@code syslog_name}, which a list of exact
 *       {@code SYSLOG_IDENTIFIER}s ({@code postfix/smtp}, {@code postfix-out/smtp},
 *       {@code postfix/submission/smtpd} ...) never covers, since journalctl matches only exact values.
 *       The units catch an MTA that logs to stdout rather than syslog. Other mail-facility programs
 *       (Dovecot) are skipped cheaply by the parser's tag dispatch.</li>
 *   <li>configured units and identifiers replace the defaults: units ORed, identifiers ORed, and the
 *       two groups ORed with journalctl's {@code +}.</li>
 * </ul>
 * {@code --follow} alone reads only the newest boot (journalctl 252 adds an implicit {@code --boot}
 * unless {@code --merge} is given), so a cursor from before a reboot would silently skip the rest of
 * that boot: Postfix's last deliveries before the shutdown. {@code --merge} reads all boots, but also
 * other machines' journals (containers, {@code systemd-journal-remote} receivers), so for the system
 * journal every match group is narrowed to this machine's {@code _MACHINE_ID}.
 */
final class JournalCommand {

    /** The MTAs' units on the common distributions (the config's default); see the class comment. */
    static final List<String> DEFAULT_UNITS = SourceConfig.Journal.DEFAULT_UNITS;

    /** The syslog facility "mail" (RFC 5424 facility 2). */
    static final String MAIL_FACILITY = "SYSLOG_FACILITY=2";

    private JournalCommand() {
    }

    /**
     * The command.
     *
     * @param afterCursor resume after this entry; null when there is none
     * @param since       when there is no cursor: resume at this time (a restart before the first
     *                    entry was handed over); null on a first start, which begins at the end
     * @param machineId   this machine's id, to keep other machines' journals out of the system
     *                    journal's matches; null when unknown (then they are not filtered)
     */
    static List<String> build(SourceConfig.Journal config, String afterCursor, Instant since, String machineId) {
        List<String> command = new ArrayList<>();
        command.add(executable(config));
        command.add("--output=json");
        command.add("--all"); // a long MESSAGE would be null without it
        command.add("--no-pager");
        command.add("--follow");
        command.add("--merge"); // every boot, not just the newest (see the class comment)
        if (config.directory() != null) {
            command.add("--directory=" + config.directory());
        }
        if (afterCursor != null) {
            // --follow alone shows only the last 10 entries after the cursor (checked with systemd 252)
            command.add("--after-cursor=" + afterCursor);
            command.add("--no-tail");
        } else if (since != null) {
            command.add("--since=@" + since.getEpochSecond());
            command.add("--no-tail");
        } else {
            command.add("--lines=0"); // a first start reads from now: --follow would replay the last 10
        }
        List<String> matches = matches(config);
        if (config.directory() == null && machineId != null) {
            command.addAll(onMachine(matches, machineId));
        } else {
            command.addAll(matches);
        }
        return command;
    }

    /** Adds {@code _MACHINE_ID=} to every OR group: journalctl ANDs matches on different fields within a group. */
    static List<String> onMachine(List<String> matches, String machineId) {
        List<String> out = new ArrayList<>();
        for (String m : matches) {
            if (m.equals("+")) {
                out.add("_MACHINE_ID=" + machineId);
            }
            out.add(m);
        }
        if (!matches.isEmpty()) {
            out.add("_MACHINE_ID=" + machineId);
        }
        return out;
    }

    /** {@code /etc/machine-id}: 32 hex digits; null when it is missing or not that. */
    static String machineId(Path file) {
        try {
            String id = Files.readString(file).strip();
            return id.matches("[0-9a-f]{32}") ? id : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String executable(SourceConfig.Journal config) {
        return config.journalctl() == null || config.journalctl().isBlank() ? SourceConfig.Journal.DEFAULT_JOURNALCTL : config.journalctl();
    }

    /** The match arguments; see the class comment. */
    static List<String> matches(SourceConfig.Journal config) {
        List<String> out = new ArrayList<>();
        if (isDefault(config)) {
            DEFAULT_UNITS.forEach(u -> out.add("_SYSTEMD_UNIT=" + u));
            out.add("+");
            out.add(MAIL_FACILITY);
            return out;
        }
        List<String> units = orEmpty(config.units());
        List<String> identifiers = orEmpty(config.identifiers());
        units.forEach(u -> out.add("_SYSTEMD_UNIT=" + u));
        if (!units.isEmpty() && !identifiers.isEmpty()) {
            out.add("+");
        }
        identifiers.forEach(i -> out.add("SYSLOG_IDENTIFIER=" + i));
        return out;
    }

    /** No units and no identifiers configured, or exactly the default units (a config that spelled the default out). */
    static boolean isDefault(SourceConfig.Journal config) {
        List<String> units = orEmpty(config.units());
        if (!orEmpty(config.identifiers()).isEmpty()) {
            return false;
        }
        return units.isEmpty() || Set.copyOf(units).equals(Set.copyOf(DEFAULT_UNITS));
    }

    /** What the matches select, for ids and health: {@code default} or {@code unit=a,b identifier=c}. */
    static String describeMatches(SourceConfig.Journal config) {
        if (isDefault(config)) {
            return "default";
        }
        StringBuilder sb = new StringBuilder();
        List<String> units = orEmpty(config.units());
        List<String> identifiers = orEmpty(config.identifiers());
        if (!units.isEmpty()) {
            sb.append("unit=").append(String.join(",", new LinkedHashSet<>(units)));
        }
        if (!identifiers.isEmpty()) {
            sb.append(sb.length() == 0 ? "" : " ").append("identifier=")
                    .append(String.join(",", new LinkedHashSet<>(identifiers)));
        }
        return sb.toString();
    }

    private static List<String> orEmpty(List<String> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }
}
