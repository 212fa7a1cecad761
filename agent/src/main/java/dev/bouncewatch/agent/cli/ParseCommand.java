package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.parse.BackgroundResultWriter;
import dev.bouncewatch.agent.parse.Correlator;
import dev.bouncewatch.agent.parse.LogLineReader;
import dev.bouncewatch.agent.parse.LogParser;
import dev.bouncewatch.agent.parse.MtaChoice;
import dev.bouncewatch.agent.parse.OutputFormat;
import dev.bouncewatch.agent.parse.ParserSettings;
import dev.bouncewatch.agent.parse.ResultWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bouncewatch parse}: MTA log files in, one delivery result per line out. */
@Command(name = "parse", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Reads Postfix, Exim, Sendmail and OpenSMTPD logs and writes one delivery result per line.",
            "Lines that are not delivery results are counted; the counts go to stderr."})
public final class ParseCommand implements Callable<Integer> {

    @Option(names = "--mta", defaultValue = "auto", converter = MtaConverter.class, paramLabel = "MTA",
            description = "auto (per line, from the syslog tag), postfix, exim, sendmail or opensmtpd. Default: ${DEFAULT-VALUE}.")
    MtaChoice mta;

    @Option(names = "--format", defaultValue = "jsonl", converter = FormatConverter.class, paramLabel = "FORMAT",
            description = "jsonl, table or csv. Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    @Option(names = "--year", paramLabel = "YYYY",
            description = "Year of the first year-less timestamp (Jan  5 12:00:01) of each file; later lines roll over "
                    + "into the next year. Default: inferred from the file's modification time.")
    Integer year;

    @Option(names = "--tz", converter = ZoneConverter.class, paramLabel = "ZONE",
            description = "Time zone of timestamps that carry none (e.g. Europe/Berlin, UTC, +02:00). Default: the system's.")
    ZoneId zone;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files, plain or gzip; - for stdin.")
    List<String> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (year != null && (year < 1970 || year > 9999)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--year: expected a year like 2024, got " + year);
        }
        PrintWriter err = spec.commandLine().getErr();
        ParserSettings settings = ParserSettings.defaults().withMta(mta);
        if (zone != null) {
            settings = settings.withZone(zone);
        }
        LogParser parser = new LogParser(settings, Correlator.withDefaults(), reject -> { });
        int exit = 0;
        PrintWriter out = spec.commandLine().getOut();
        BackgroundResultWriter writer = new BackgroundResultWriter(new ResultWriter(new BufferedWriter(out, 1 << 16), format));
        for (String file : files) {
            try (InputStream in = open(file)) {
                LogLineReader reader = LogLineReader.open(in, settings.maxLineLength());
                if (year != null) {
                    parser.startSource(year);
                } else {
                    parser.startSource(file.equals("-") ? Instant.now() : Files.getLastModifiedTime(Path.of(file)).toInstant());
                }
                long linesBefore = parser.counters().lines();
                try {
                    String line;
                    long dropped = 0;
                    while ((line = reader.readLine()) != null) {
                        if (reader.tooLongLines() != dropped) {
                            dropped = countTooLong(parser, reader, dropped);
                        }
                        for (DeliveryResult r : parser.accept(line)) {
                            writer.write(r);
                        }
                    }
                    countTooLong(parser, reader, dropped);
                } catch (IOException e) { // a truncated .gz: keep what was read, say where it stopped
                    err.println("bouncewatch parse: " + file + ": read error after line "
                            + (parser.counters().lines() - linesBefore) + ": " + e.getMessage());
                    exit = 1;
                }
            } catch (NoSuchFileException e) {
                err.println("bouncewatch parse: " + file + ": no such file");
                exit = 1;
            } catch (IOException e) {
                err.println("bouncewatch parse: " + file + ": " + e.getMessage());
                exit = 1;
            }
        }
        writer.close();
        err.println(parser.counters().summary());
        err.println("  " + parser.counters().details());
        err.flush();
        return exit;
    }

    private static long countTooLong(LogParser parser, LogLineReader reader, long countedSoFar) {
        for (long i = countedSoFar; i < reader.tooLongLines(); i++) {
            parser.skipTooLong();
        }
        return reader.tooLongLines();
    }

    private static InputStream open(String file) throws IOException {
        if (file.equals("-")) {
            return new NonClosingInputStream(System.in);
        }
        return Files.newInputStream(Path.of(file));
    }

    /** stdin stays open for whoever runs us in-process. */
    private static final class NonClosingInputStream extends java.io.FilterInputStream {
        NonClosingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
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

    static final class FormatConverter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.fromWireName(value);
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
