package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.parse.MtaChoice;
import dev.bouncewatch.agent.parse.ParserSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.DateTimeException;
import java.time.ZoneId;

/** The options that say how log files are read, shared by {@code parse} and {@code report}. */
final class LogInputOptions {

    @Option(names = "--mta", defaultValue = "auto", converter = MtaConverter.class, paramLabel = "MTA",
            description = "auto (per line, from the syslog tag), postfix, exim, sendmail or opensmtpd. Default: ${DEFAULT-VALUE}.")
    MtaChoice mta;

    @Option(names = "--year", paramLabel = "YYYY",
            description = "Year of the first year-less timestamp (Jan  5 12:00:01) of each file; later lines roll over "
                    + "into the next year. Default: inferred from the file's modification time.")
    Integer year;

    @Option(names = "--tz", converter = ZoneConverter.class, paramLabel = "ZONE",
            description = "Time zone of timestamps that carry none (e.g. Europe/Berlin, UTC, +02:00). Default: the system's.")
    ZoneId zone;

    /** Parser settings from the options; a bad --year is a usage error. */
    ParserSettings settings(CommandLine commandLine) {
        if (year != null && (year < 1970 || year > 9999)) {
            throw new CommandLine.ParameterException(commandLine, "--year: expected a year like 2024, got " + year);
        }
        ParserSettings settings = ParserSettings.defaults().withMta(mta);
        return zone == null ? settings : settings.withZone(zone);
    }

    static final class MtaConverter implements CommandLine.ITypeConverter<MtaChoice> {
        @Override
        public MtaChoice convert(String value) {
            try {
                return MtaChoice.fromWireName(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ZoneConverter implements CommandLine.ITypeConverter<ZoneId> {
        @Override
        public ZoneId convert(String value) {
            try {
                return ZoneId.of(value);
            } catch (DateTimeException e) {
                throw new CommandLine.TypeConversionException("unknown time zone '" + value
                        + "': expected a region like Europe/Berlin or an offset like +02:00");
            }
        }
    }
}
