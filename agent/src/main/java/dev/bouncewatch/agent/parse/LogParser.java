package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.Mta;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns MTA log lines into delivery results, one line at a time, so a batch reader and the live agent
 * use it the same way:
 * <pre>
 *   LogParser parser = new LogParser(ParserSettings.defaults(), Correlator.withDefaults(), reject -> {});
 *   parser.startSource(fileModifiedTime);          // year inference for "Jan  5 ..." timestamps
 *   for (String line : lines) results.addAll(parser.accept(line));
 * </pre>
 * Each line goes to the parser of the MTA its syslog tag names (a stream may mix programs; other programs
 * are skipped cheaply, before any text scanning). Nothing here throws on bad input: odd lines are
 * counted in {@link #counters()}. Not thread-safe.
 */
public final class LogParser {

    private final ParserSettings settings;
    private final Correlator correlator;
    private final Consumer<InboundReject> rejects;
    private final ParseCounters counters = new ParseCounters();
    private final TimestampParser timestamps;
    private final SyslogPrefixParser prefixes;
    private final PostfixLineParser postfix;
    private final EximLineParser exim;
    private final SendmailLineParser sendmail;
    private final OpenSmtpdLineParser opensmtpd;

    public LogParser(ParserSettings settings, Correlator correlator, Consumer<InboundReject> rejects) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.correlator = Objects.requireNonNull(correlator, "correlator");
        this.rejects = Objects.requireNonNull(rejects, "rejects");
        StagePhrases phrases = StagePhrases.defaults();
        this.timestamps = new TimestampParser(new LocalTimeConverter(settings.zone()),
                YearInference.fromReference(LocalDate.now(settings.zone())));
        this.prefixes = new SyslogPrefixParser(timestamps);
        this.postfix = new PostfixLineParser(phrases);
        this.exim = new EximLineParser(phrases, timestamps);
        this.sendmail = new SendmailLineParser(phrases);
        this.opensmtpd = new OpenSmtpdLineParser();
    }

    /** A parser with default settings and correlator limits that drops inbound rejects (still counted). */
    public static LogParser withDefaults() {
        return new LogParser(ParserSettings.defaults(), Correlator.withDefaults(), reject -> { });
    }

    /**
     * A new source begins (a file, a rotated file, a live stream): year-less timestamps are dated
     * relative to {@code lastWritten}, the time the source was last written (file mtime, or now).
     */
    public void startSource(Instant lastWritten) {
        timestamps.setYearInference(YearInference.fromReference(LocalDate.ofInstant(lastWritten, settings.zone())));
    }

    /** A new source begins whose first year-less timestamp is in {@code year}. */
    public void startSource(int year) {
        timestamps.setYearInference(YearInference.startingIn(year));
    }

    public ParseCounters counters() {
        return counters;
    }

    public Correlator correlator() {
        return correlator;
    }

    /** A source dropped a line longer than the limit without handing it over; counted like one. */
    public void skipTooLong() {
        counters.line();
        counters.skip(SkipReason.TOO_LONG);
    }

    /** The delivery results this line yields, usually none or one; never null. */
    public List<DeliveryResult> accept(String line) {
        counters.line();
        if (line.length() > settings.maxLineLength()) {
            counters.skip(SkipReason.TOO_LONG);
            return List.of();
        }
        if (line.indexOf('\uFFFD') >= 0) {
            counters.invalidUtf8();
        }
        Mta forced = settings.mta().mta();
        SyslogLine syslog = prefixes.parse(line);
        Mta mta;
        SkipReason ifNothing = null; // set when only --mta says this line is the MTA's: nothing found = not ours
        if (syslog != null) {
            mta = mtaOf(syslog.program());
            if (mta == null && syslog.message().length() > 16) {
                SyslogLine nested = prefixes.parse(syslog.message()); // docker logging into syslog: two prefixes
                if (nested != null && mtaOf(nested.program()) != null) {
                    syslog = nested;
                    mta = mtaOf(nested.program());
                }
            }
            if (mta == null && forced != null) {
                mta = forced; // a custom syslog_name: the user told us what it is
                ifNothing = SkipReason.OTHER_PROGRAM;
            }
            if (mta == null || (forced != null && mta != forced)) {
                counters.skip(SkipReason.OTHER_PROGRAM);
                return List.of();
            }
        } else if ((forced == null || forced == Mta.EXIM) && EximLineParser.looksLikeEximLine(line)) {
            mta = Mta.EXIM;
            syslog = SyslogLine.bare(line);
        } else if ((forced == null || forced == Mta.OPENSMTPD) && OpenSmtpdLineParser.looksLikeBareLine(line)) {
            mta = Mta.OPENSMTPD;
            syslog = SyslogLine.bare(line);
        } else if (forced != null && !line.isBlank()) {
            mta = forced;
            syslog = SyslogLine.bare(line);
            ifNothing = SkipReason.GARBAGE;
        } else {
            counters.skip(SkipReason.GARBAGE);
            return List.of();
        }
        LogEvent event;
        try {
            event = parserOf(mta).parse(syslog);
        } catch (RuntimeException e) {
            // a parser bug must not stop a daemon reading years of logs: count the line and go on
            counters.skip(SkipReason.UNRECOGNISED);
            return List.of();
        }
        if (ifNothing != null && event instanceof LogEvent.NoResult) {
            counters.skip(ifNothing);
            return List.of();
        }
        counters.mtaLine(mta);
        return handle(mta, syslog, event);
    }

    private List<DeliveryResult> handle(Mta mta, SyslogLine syslog, LogEvent event) {
        String scope = syslog.host() == null ? mta.name() : mta.name() + ' ' + syslog.host();
        if (event instanceof LogEvent.Deliveries d) {
            List<DeliveryResult> out = correlator.onDeliveries(scope, d);
            counters.results(mta, out.size());
            return out;
        }
        if (event instanceof LogEvent.Expiry e) {
            List<DeliveryResult> out = correlator.onExpiry(scope, e);
            counters.results(mta, out.size());
            return out;
        }
        if (event instanceof LogEvent.MessageInfo info) {
            correlator.onMessageInfo(scope, info, syslog.time());
            counters.context();
        } else if (event instanceof LogEvent.MessageDone done) {
            correlator.onDone(scope, done.queueId());
            counters.context();
        } else if (event instanceof InboundReject reject) {
            counters.inboundReject();
            rejects.accept(reject);
        } else if (event == LogEvent.NoResult.CONTEXT) {
            counters.context();
        } else if (event == LogEvent.NoResult.TRUNCATED) {
            counters.skip(SkipReason.TRUNCATED);
        } else {
            counters.skip(SkipReason.UNRECOGNISED);
        }
        return List.of();
    }

    /** First-level dispatch on the syslog tag: a few character comparisons, no regex. */
    static Mta mtaOf(String program) {
        if (program.isEmpty()) {
            return null;
        }
        switch (program.charAt(0)) {
            case 'p':
                return PostfixLineParser.isPostfixProgram(program) ? Mta.POSTFIX : null;
            case 'e':
                return EximLineParser.isEximProgram(program) ? Mta.EXIM : null;
            case 's':
                if (SendmailLineParser.isSendmailProgram(program)) {
                    return Mta.SENDMAIL;
                }
                return OpenSmtpdLineParser.isOpenSmtpdProgram(program) ? Mta.OPENSMTPD : null;
            case 'o':
                return OpenSmtpdLineParser.isOpenSmtpdProgram(program) ? Mta.OPENSMTPD : null;
            default:
                return null;
        }
    }

    private MtaLineParser parserOf(Mta mta) {
        switch (mta) {
            case POSTFIX: return postfix;
            case EXIM: return exim;
            case SENDMAIL: return sendmail;
            case OPENSMTPD: return opensmtpd;
            default: throw new IllegalStateException("no log parser for " + mta);
        }
    }
}
