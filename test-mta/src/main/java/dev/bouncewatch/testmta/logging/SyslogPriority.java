package dev.bouncewatch.testmta.logging;

import ch.qos.logback.classic.Level;

/**
 * The syslog priority journald reads from a {@code <N>} line prefix (sd-daemon(3)), so that
 * {@code journalctl -p warning} finds our warnings and errors.
 */
public final class SyslogPriority {

    public static final int ERR = 3;
    public static final int WARNING = 4;
    public static final int INFO = 6;
    public static final int DEBUG = 7;

    private SyslogPriority() {
    }

    public static int of(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return ERR;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return WARNING;
        }
        return level.isGreaterOrEqual(Level.INFO) ? INFO : DEBUG;
    }

    public static String prefix(Level level) {
        return "<" + of(level) + ">";
    }
}
