package dev.bouncewatch.testmta.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is connected to the journal. systemd sets {@code JOURNAL_STREAM=<device>:<inode>}
 * (decimal) for a service whose output goes to the journal (systemd.exec(5)); a child whose stderr
 * was redirected elsewhere inherits the variable, so the device and inode of our own stderr must
 * match it too.
 */
public final class JournalStream {

    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private JournalStream() {
    }

    public static boolean isStderr(String journalStream) {
        return matches(journalStream, STDERR);
    }

    /** {@code journalStream} names the file {@code fd} leads to (stat follows /proc's fd links to sockets too). */
    static boolean matches(String journalStream, Path fd) {
        if (journalStream == null) {
            return false;
        }
        int colon = journalStream.indexOf(':');
        if (colon < 0) {
            return false;
        }
        try {
            long device = Long.parseUnsignedLong(journalStream.substring(0, colon).strip());
            long inode = Long.parseUnsignedLong(journalStream.substring(colon + 1).strip());
            return ((Long) Files.getAttribute(fd, "unix:dev")) == device && ((Long) Files.getAttribute(fd, "unix:ino")) == inode;
        } catch (NumberFormatException | IOException | UnsupportedOperationException | SecurityException e) {
            return false;   // no /proc, not Linux, or garbage in the variable: not the journal
        }
    }
}
