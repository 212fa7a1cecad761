package dev.bouncewatch.testmta.logging;

import ch.qos.logback.classic.pattern.Abbreviator;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The {@code text} and {@code journal} formats: {@code 12:00:00.123 WARN  run.Agent - message},
 * or for the journal {@code <4>WARN  run.Agent - message} (journald stamps the time itself and
 * strips the prefix), followed by the stack trace's lines, each with the prefix again: journald
 * makes every line an entry of its own, and an unprefixed one would count as info.
 */
final class TextLines {

    /** journald splits lines longer than its LineMax (48 KiB by default) and the rest loses the prefix. */
    static final int MAX_JOURNAL_LINE = 16_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final boolean timestamp;
    private final boolean priorityPrefix;
    private final DateTimeFormatter time;
    private final Abbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(20);

    TextLines(boolean timestamp, boolean priorityPrefix, ZoneId zone) {
        this.timestamp = timestamp;
        this.priorityPrefix = priorityPrefix;
        this.time = TIME.withZone(zone);
    }

    String format(ILoggingEvent event) {
        String prefix = priorityPrefix ? SyslogPriority.prefix(event.getLevel()) : "";
        StringBuilder sb = new StringBuilder(128);
        sb.append(prefix);
        if (timestamp) {
            sb.append(time.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
        }
        String level = event.getLevel().toString();
        sb.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        sb.append(abbreviator.abbreviate(event.getLoggerName() == null ? "" : event.getLoggerName())).append(" - ");
        String message = event.getFormattedMessage();
        LogText.escapeTo(priorityPrefix ? LogText.bounded(message, MAX_JOURNAL_LINE) : (message == null ? "" : message), sb);
        sb.append('\n');
        if (event.getThrowableProxy() != null) {
            for (String line : ThrowableLines.of(event.getThrowableProxy())) {
                sb.append(prefix).append(priorityPrefix ? LogText.bounded(line, MAX_JOURNAL_LINE) : line).append('\n');
            }
        }
        return sb.toString();
    }
}
