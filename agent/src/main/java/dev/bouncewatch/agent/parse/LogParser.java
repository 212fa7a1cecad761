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
    private Mta lastScopeMta;
    private String lastScopeHost;
    private String lastScope;

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
        return apply(prepare(line));
    }

    /**
     * A line read as far as it can be without the correlator: syslog prefix, timestamp, MTA, the
     * event. {@link #prepare} and {@link #apply} split {@link #accept} so a reader thread can do the
     * first half while the correlating thread does the second; lines must be applied in the order they
     * were prepared. Nothing here is counted until it is applied.
     */
    public static final class PreparedLine {
        private static final PreparedLine[] SKIPS = skips(false);
        private static final PreparedLine[] SKIPS_INVALID_UTF8 = skips(true);

        final Mta mta;
        final SyslogLine syslog;
        final LogEvent event;
        final SkipReason skip;
        final boolean invalidUtf8;

        private PreparedLine(Mta mta, SyslogLine syslog, LogEvent event, SkipReason skip, boolean invalidUtf8) {
            this.mta = mta;
            this.syslog = syslog;
            this.event = event;
            this.skip = skip;
            this.invalidUtf8 = invalidUtf8;
        }

        static PreparedLine skipped(SkipReason reason, boolean invalidUtf8) {
            return (invalidUtf8 ? SKIPS_INVALID_UTF8 : SKIPS)[reason.ordinal()];
        }

        private static PreparedLine[] skips(boolean invalidUtf8) {
            PreparedLine[] all = new PreparedLine[SkipReason.values().length];
            for (SkipReason r : SkipReason.values()) {
                all[r.ordinal()] = new PreparedLine(null, null, null, r, invalidUtf8);
            }
            return all;
        }
    }

    /**
     * The first half of {@link #accept}: parses the line without touching the correlator or the
     * counters. Not thread-safe, and uses the year inference of {@link #startSource}: call it from one
     * thread at a time, after startSource.
     */
    public PreparedLine prepare(String line) {
        if (line.length() > settings.maxLineLength()) {
            return PreparedLine.skipped(SkipReason.TOO_LONG, false);
        }
        boolean invalidUtf8 = line.indexOf('\uFFFD') >= 0;
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
                return PreparedLine.skipped(SkipReason.OTHER_PROGRAM, invalidUtf8);
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
            return PreparedLine.skipped(SkipReason.GARBAGE, invalidUtf8);
        }
        LogEvent event;
        try {
            event = parserOf(mta).parse(syslog);
        } catch (RuntimeException e) {
            // a parser bug must not stop a daemon reading years of logs: count the line and go on
            return PreparedLine.skipped(SkipReason.UNRECOGNISED, invalidUtf8);
        }
        if (ifNothing != null && event instanceof LogEvent.NoResult) {
            return PreparedLine.skipped(ifNothing, invalidUtf8);
        }
        return new PreparedLine(mta, syslog, event, null, invalidUtf8);
    }

    /** The second half of {@link #accept}: counts the line and correlates its event; never null. */
    public List<DeliveryResult> apply(PreparedLine prepared) {
        counters.line();
        if (prepared.skip == SkipReason.TOO_LONG) {
            counters.skip(SkipReason.TOO_LONG);
            return List.of();
        }
        if (prepared.invalidUtf8) {
            counters.invalidUtf8();
        }
        if (prepared.skip != null) {
            counters.skip(prepared.skip);
            return List.of();
        }
        counters.mtaLine(prepared.mta);
        return handle(prepared.mta, prepared.syslog, prepared.event);
    }

    private List<DeliveryResult> handle(Mta mta, SyslogLine syslog, LogEvent event) {
        String scope = scope(mta, syslog.host());
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

    /** The correlation scope, "POSTFIX mail1": one string for a run of lines from the same host, not one per line. */
    private String scope(Mta mta, String host) {
        if (mta != lastScopeMta || !Objects.equals(host, lastScopeHost)) {
            lastScopeMta = mta;
            lastScopeHost = host;
            lastScope = host == null ? mta.name() : mta.name() + ' ' + host;
        }
        return lastScope;
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
