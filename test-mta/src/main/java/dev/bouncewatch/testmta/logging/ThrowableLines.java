package dev.bouncewatch.testmta.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack trace as lines, the way Java prints one ("Caused by:", "Suppressed:", "... n common
 * frames omitted"), with each exception's message escaped: a message may quote a remote reply,
 * and its line feeds must not start lines of their own.
 */
final class ThrowableLines {

    /** Deep enough for any real chain; a longer one (or a cycle logback missed) is cut. */
    private static final int MAX_DEPTH = 30;

    private ThrowableLines() {
    }

    static List<String> of(IThrowableProxy throwable) {
        List<String> lines = new ArrayList<>();
        add(throwable, "", "", lines, 0);
        return lines;
    }

    private static void add(IThrowableProxy t, String indent, String label, List<String> lines, int depth) {
        if (depth > MAX_DEPTH) {
            lines.add(indent + label + "... (cause chain cut at " + MAX_DEPTH + ")");
            return;
        }
        if (t.isCyclic()) {
            lines.add(indent + label + "[circular reference: " + header(t) + "]");
            return;
        }
        lines.add(indent + label + header(t));
        StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
        int common = Math.max(0, Math.min(t.getCommonFrames(), frames.length));
        for (int i = 0; i < frames.length - common; i++) {
            lines.add(indent + "\t" + LogText.escape(frames[i].getSTEAsString()));
        }
        if (common > 0) {
            lines.add(indent + "\t... " + common + " common frames omitted");
        }
        IThrowableProxy[] suppressed = t.getSuppressed();
        if (suppressed != null) {
            for (IThrowableProxy s : suppressed) {
                add(s, indent + "\t", "Suppressed: ", lines, depth + 1);
            }
        }
        if (t.getCause() != null) {
            add(t.getCause(), indent, "Caused by: ", lines, depth + 1);
        }
    }

    private static String header(IThrowableProxy t) {
        String message = t.getMessage();
        return LogText.escape(t.getClassName()) + (message == null ? "" : ": " + LogText.escape(message));
    }
}
