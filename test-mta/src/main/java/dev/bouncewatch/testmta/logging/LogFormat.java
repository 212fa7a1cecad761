package dev.bouncewatch.testmta.logging;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The log formats, as {@code BOUNCEWATCH_LOG_FORMAT} names them. */
public enum LogFormat {
    /** A terminal: local time, level, logger, message. */
    TEXT,
    /** systemd's journal: no time (the journal has its own), a {@code <N>} priority prefix per line. */
    JOURNAL,
    /** One JSON object per line. */
    JSON;

    /** What the environment asked for, and the warning to log when that was not a format. */
    public record Choice(LogFormat format, String warning) {
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format for a configured value: {@code text}, {@code journal}, {@code json}, or empty /
     * {@code auto} for journal when stderr is the journal's stream and text otherwise. Anything else
     * falls back to that default with a warning: a typo in a unit file must not stop the service.
     */
    public static Choice choose(String configured, boolean stderrIsJournal) {
        LogFormat automatic = stderrIsJournal ? JOURNAL : TEXT;
        String value = configured == null ? "" : configured.strip().toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.equals("auto")) {
            return new Choice(automatic, null);
        }
        for (LogFormat f : values()) {
            if (f.configName().equals(value)) {
                return new Choice(f, null);
            }
        }
        String names = Arrays.stream(values()).map(LogFormat::configName).collect(Collectors.joining(", "));
        return new Choice(automatic, "BOUNCEWATCH_LOG_FORMAT=" + LogText.escape(LogText.bounded(configured, 40))
                + " is not one of " + names + ", auto; logging as " + automatic.configName()
                + (stderrIsJournal ? " (stderr is the journal)" : ""));
    }
}
