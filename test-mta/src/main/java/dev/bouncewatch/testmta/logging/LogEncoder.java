package dev.bouncewatch.testmta.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Function;

/**
 * The encoder logback.xml gives the console appender: picks the format once at start-up from
 * {@code <format>} (BOUNCEWATCH_LOG_FORMAT: text, journal, json, or auto) and {@code <journalStream>}
 * (JOURNAL_STREAM, compared with stderr's device and inode). When stderr is the journal, the json
 * format also carries the {@code <N>} priority prefix, which journald strips, so {@code journalctl -p}
 * works for it too. A value that is no format gives one warning line, written as the first line of
 * the log, and the automatic choice.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {

    private String format = "";
    private String journalStream = "";
    private Boolean stderrIsJournal;   // tests set it; null: look at the real stderr
    private ZoneId zone = ZoneId.systemDefault();
    private LogFormat chosen;
    private String warning;
    private Function<ILoggingEvent, String> formatter;

    public void setFormat(String format) {
        this.format = format;
    }

    public void setJournalStream(String journalStream) {
        this.journalStream = journalStream;
    }

    void setStderrIsJournal(boolean stderrIsJournal) {
        this.stderrIsJournal = stderrIsJournal;
    }

    void setZone(ZoneId zone) {
        this.zone = zone;
    }

    /** The format in use once started. */
    public LogFormat chosenFormat() {
        return chosen;
    }

    @Override
    public void start() {
        boolean journal = stderrIsJournal != null ? stderrIsJournal : JournalStream.isStderr(journalStream);
        LogFormat.Choice choice = LogFormat.choose(format, journal);
        chosen = choice.format();
        warning = choice.warning();
        formatter = switch (chosen) {
            case TEXT -> new TextLines(true, journal, zone)::format;
            case JOURNAL -> new TextLines(false, true, zone)::format;
            case JSON -> new JsonLine(journal)::format;
        };
        super.start();
    }

    /** Written by the appender when it starts: the warning about a bad format value, if any. */
    @Override
    public byte[] headerBytes() {
        if (warning == null) {
            return null;
        }
        LoggingEvent event = new LoggingEvent();
        event.setLevel(Level.WARN);
        event.setLoggerName(LogEncoder.class.getName());
        event.setThreadName(Thread.currentThread().getName());
        event.setTimeStamp(System.currentTimeMillis());
        event.setMessage(warning);
        event.setMDCPropertyMap(Map.of());   // no logger context to ask for one
        return encode(event);
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return formatter.apply(event).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
