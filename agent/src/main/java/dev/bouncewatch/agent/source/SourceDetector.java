package dev.bouncewatch.agent.source;

import dev.bouncewatch.agent.config.SourceConfig;
import dev.bouncewatch.agent.parse.MtaChoice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds this host's mail logs for {@code type: auto}, the zero-config default:
 * <ol>
 *   <li>every one of the usual log files that exists: {@code /var/log/mail.log} (Debian/Ubuntu
 *       rsyslog), {@code /var/log/maillog} (RHEL/Fedora), {@code /var/log/exim4/mainlog} (Debian's
 *       Exim, which writes its own file), {@code /var/log/mail/mail.log} (openSUSE); a host may have
 *       more than one (mail.log and an Exim mainlog), and reading each costs little;</li>
 *   <li>Postfix's {@code maillog_file} (Postfix 3.4+ postlogd) from {@code postconf -h maillog_file},
 *       when postconf exists and the value is a file, not {@code /dev/stdout}; it is taken even if it
 *       does not exist yet, since Postfix creates it on its first line;</li>
 *   <li>only when none of these applies: the systemd journal, when journalctl exists and a journal
 *       directory ({@code /run/log/journal} or {@code /var/log/journal}) does. Reading the journal
 *       beside rsyslog's file would count every line twice.</li>
 * </ol>
 * A file that exists but cannot be read is still taken (its source then reports the error, which
 * is how an operator learns to add the agent's user to group adm) and the description says so.
 * The file system root and the command runner are injectable so tests can fake a host.
 */
public final class SourceDetector {

    /** The usual mail log files, most common first; also what {@code report} looks for. */
    public static final List<Path> LOG_FILES = List.of(Path.of("/var/log/mail.log"), Path.of("/var/log/maillog"),
            Path.of("/var/log/exim4/mainlog"), Path.of("/var/log/mail/mail.log"));

    /** systemd's journal reader. */
    public static final Path JOURNALCTL = Path.of("/usr/bin/journalctl");

    /** Volatile and persistent journal directories. */
    static final List<Path> JOURNAL_DIRECTORIES = List.of(Path.of("/run/log/journal"), Path.of("/var/log/journal"));

    static final Path POSTCONF = Path.of("/usr/sbin/postconf");

    /** Runs a command and returns its standard output, or empty when it cannot run or fails. */
    @FunctionalInterface
    public interface CommandRunner {
        Optional<String> run(List<String> command);
    }

    /** What was found: the sources to run (possibly none) and, line by line, what was looked at and why. */
    public record Detection(List<SourceConfig> sources, String description) {
        public Detection {
            sources = List.copyOf(sources);
        }
    }

    private final Path root;
    private final CommandRunner commands;

    /**
     * @param root     where the host's file system is: {@code /} on a host, a temporary directory in tests
     * @param commands runs postconf
     */
    public SourceDetector(Path root, CommandRunner commands) {
        this.root = Objects.requireNonNull(root, "root");
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    /** This host, running its commands for real. */
    public static SourceDetector forThisHost() {
        return new SourceDetector(Path.of("/"), SourceDetector::runCommand);
    }

    /**
     * The sources for {@code type: auto}.
     *
     * @param auto its poll interval goes to the file sources
     */
    public Detection detect(SourceConfig.Auto auto) {
        Duration poll = auto == null ? null : auto.pollInterval();
        List<SourceConfig> sources = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path candidate : LOG_FILES) {
            Path file = onHost(candidate);
            if (Files.isRegularFile(file)) {
                files.add(file);
                sources.add(new SourceConfig.File(file, formatOf(candidate), poll));
                notes.add(file + ": found" + readability(file));
            }
        }
        maillogFile().ifPresent(value -> {
            Path file = onHost(value);
            if (files.contains(file)) {
                notes.add("Postfix maillog_file " + value + ": already read");
                return;
            }
            files.add(file);
            sources.add(new SourceConfig.File(file, MtaChoice.POSTFIX, poll));
            notes.add(file + ": Postfix maillog_file (postconf)" + (Files.exists(file) ? readability(file)
                    : ", does not exist yet; read once Postfix writes it"));
        });
        if (sources.isEmpty()) {
            Path journalctl = onHost(JOURNALCTL);
            Optional<Path> journalDir = JOURNAL_DIRECTORIES.stream().map(this::onHost).filter(Files::isDirectory).findFirst();
            if (Files.isExecutable(journalctl) && journalDir.isPresent()) {
                sources.add(new SourceConfig.Journal(SourceConfig.Journal.DEFAULT_UNITS, List.of(), journalctl.toString(), null));
                notes.add("no mail log file; the systemd journal (" + journalDir.get() + ") with the MTAs' units"
                        + " and the mail facility");
            } else {
                notes.add("no mail log file (looked for " + String.join(", ", LOG_FILES.stream().map(Path::toString).toList())
                        + " and Postfix maillog_file) and no systemd journal"
                        + (Files.isExecutable(journalctl) ? " directory" : " (" + JOURNALCTL + " is missing)")
                        + "; name the log in the config: sources: [{type: file, path: ...}]");
            }
        }
        return new Detection(sources, "auto-detected sources:\n  " + String.join("\n  ", notes));
    }

    /** Postfix's maillog_file when it names a file; empty when postconf is missing, it is unset or a device. */
    private Optional<Path> maillogFile() {
        Path postconf = onHost(POSTCONF);
        if (!Files.isExecutable(postconf)) {
            return Optional.empty();
        }
        Optional<String> out = commands.run(List.of(postconf.toString(), "-h", "maillog_file"));
        if (out.isEmpty()) {
            return Optional.empty();
        }
        String value = out.get().strip();
        // /dev/stdout is for containers (the log goes to whoever runs Postfix); a relative value is not a path
        if (value.isEmpty() || value.startsWith("/dev/") || !value.startsWith("/") || value.indexOf('\n') >= 0) {
            return Optional.empty();
        }
        return Optional.of(Path.of(value));
    }

    /** The host path under this detector's root. */
    private Path onHost(Path absolute) {
        return root.resolve(absolute.toString().substring(1));
    }

    /** Exim's own file has no syslog prefix; any other may mix programs. */
    private static MtaChoice formatOf(Path candidate) {
        return candidate.toString().contains("exim") ? MtaChoice.EXIM : MtaChoice.AUTO;
    }

    private static String readability(Path file) {
        if (Files.isReadable(file)) {
            return "";
        }
        String why = UnixAccount.current().flatMap(who -> ReadAccess.system().fileProblem(file, who))
                .orElse("not readable by this user (an ACL, AppArmor or SELinux?)");
        return ", but " + why;
    }

    /** Runs a short command (postconf) with a deadline; its output, or empty on any failure. */
    static Optional<String> runCommand(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(64 * 1024);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
