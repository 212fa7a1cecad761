package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.source.SourceDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds this host's mail log when {@code report} is given no file: the first readable regular file of
 * a fixed list (Debian/Ubuntu rsyslog, RHEL/Fedora rsyslog, Debian Exim, openSUSE). Only the live file
 * is read, not its rotated siblings ({@code mail.log.1}, {@code mail.log.2.gz}): those are named on
 * the command line when wanted, in order, oldest first. The live agent's {@link SourceDetector} looks at the
 * same files but follows every one that exists.
 */
final class MailLogLocator {

    /** Where the usual distributions' syslog or MTA writes mail logs, most common first: the live agent's list. */
    static final List<Path> DEFAULT_CANDIDATES = SourceDetector.LOG_FILES;

    /** systemd's journal reader, used when there is no mail log file (Debian 12 logs to the journal only). */
    static final Path JOURNALCTL = SourceDetector.JOURNALCTL;

    /** What the search found: the file to read, or none with the candidates that exist but cannot be read. */
    record Found(Path file, List<Path> unreadable) {
    }

    private final List<Path> candidates;

    MailLogLocator(List<Path> candidates) {
        this.candidates = List.copyOf(candidates);
    }

    List<Path> candidates() {
        return candidates;
    }

    Found find() {
        List<Path> unreadable = new ArrayList<>();
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                if (Files.isReadable(p)) {
                    return new Found(p, List.copyOf(unreadable));
                }
                unreadable.add(p);
            }
        }
        return new Found(null, List.copyOf(unreadable));
    }

    /** The message for when nothing could be read: what was tried and what to do. */
    String notFoundMessage(Found found) {
        StringBuilder sb = new StringBuilder("no mail log found; tried ");
        for (int i = 0; i < candidates.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(candidates.get(i));
        }
        sb.append('.');
        if (!found.unreadable().isEmpty()) {
            sb.append(System.lineSeparator()).append("  ").append(found.unreadable().get(0))
                    .append(" exists but is not readable by this user: run as root (sudo) or as a member of group adm.");
        } else {
            sb.append(System.lineSeparator())
                    .append("  Name the log file(s) to read, or pipe the journal in when there is no syslog file:")
                    .append(System.lineSeparator())
                    .append("  journalctl -o short -u 'postfix*' | java -jar bouncewatch.jar report -");
        }
        return sb.toString();
    }

    /** Older rotations next to the file that were not read, e.g. mail.log.1; empty when there are none. */
    static List<Path> rotatedSiblings(Path file) {
        List<Path> found = new ArrayList<>();
        for (String suffix : new String[] {".1", ".1.gz", ".2.gz"}) {
            Path p = file.resolveSibling(file.getFileName() + suffix);
            if (Files.isRegularFile(p)) {
                found.add(p);
            }
        }
        return found;
    }
}
