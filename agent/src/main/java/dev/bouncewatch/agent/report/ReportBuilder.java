package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Aggregates classified delivery results into a {@link Report}, one entry at a time, in memory
 * bounded by {@link ReportLimits} whatever the input size. Not thread-safe: feed it from one thread.
 *
 * <pre>{@code
 * ReportBuilder builder = new ReportBuilder();
 * for (ReportEntry e : entries) builder.add(e);
 * builder.addSource("mail.log", lines, skipped);
 * Report report = builder.build();
 * }</pre>
 */
public final class ReportBuilder {

    static final String OTHER = "(other)";
    static final String NO_TEXT = "(no reply text)";
    /** Longer than any domain name (253) or address (254): a longer key is garbage and is cut. */
    static final int MAX_KEY_CHARS = 256;

    private final ReportLimits limits;
    private final ReasonNormalizer normalizer;

    private final long[] attempts = new long[DeliveryStatus.values().length];
    private final RecipientOutcomes recipients;
    private final TopKeys<Tally> categories;
    private final TopKeys<Tally> actions;
    private final TopKeys<Tally> signals;
    private final TopKeys<OutcomeCounts> domains;
    private final TopKeys<OutcomeCounts> hosts;
    private final TopKeys<ReasonStats> reasons;
    private final SuppressList suppress;
    private final BounceTimeline timeline = new BounceTimeline();
    private final List<Report.Source> sources = new ArrayList<>();
    private Instant firstSeen;
    private Instant lastSeen;

    public ReportBuilder() {
        this(ReportLimits.DEFAULTS);
    }

    public ReportBuilder(ReportLimits limits) {
        this(limits, ReasonNormalizer.standard());
    }

    public ReportBuilder(ReportLimits limits, ReasonNormalizer normalizer) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        int keys = limits.keyCapacity();
        this.recipients = new RecipientOutcomes(limits.pendingCapacity());
        this.categories = new TopKeys<>(keys, Tally::new, Tally::weight, Tally::mergeInto);
        this.actions = new TopKeys<>(keys, Tally::new, Tally::weight, Tally::mergeInto);
        this.signals = new TopKeys<>(keys, Tally::new, Tally::weight, Tally::mergeInto);
        this.domains = new TopKeys<>(keys, OutcomeCounts::new, OutcomeCounts::attempts, OutcomeCounts::mergeInto);
        this.hosts = new TopKeys<>(keys, OutcomeCounts::new, OutcomeCounts::attempts, OutcomeCounts::mergeInto);
        this.reasons = new TopKeys<>(limits.reasonCapacity(), ReasonStats::new, ReasonStats::weight,
                ReasonStats::mergeInto);
        this.suppress = new SuppressList(limits.suppressCapacity());
    }

    /** Notes an input and its line counts, for the report's header. */
    public void addSource(String name, long lines, long skippedLines) {
        sources.add(new Report.Source(name, lines, skippedLines));
    }

    public void add(ReportEntry entry) {
        DeliveryResult r = entry.result();
        DeliveryStatus status = r.status();
        attempts[status.ordinal()]++;
        recipients.record(r);
        noteTime(r.time());
        timeline.record(r.time(), status);

        String domain = r.recipientDomain();
        domains.of(domain.isEmpty() ? "(none)" : key(domain)).add(status);
        String host = remoteHost(r);
        if (host != null) {
            hosts.of(key(host)).add(status);
        }
        if (status == DeliveryStatus.DELIVERED) {
            return;
        }
        boolean failed = status == DeliveryStatus.BOUNCED || status == DeliveryStatus.EXPIRED;
        boolean hard = entry.hardBounce() && failed;
        categories.of(key(entry.category())).add(hard);
        actions.of(key(entry.action())).add(hard);
        for (String signal : entry.signals()) {
            signals.of(key(signal)).add(hard);
        }
        ReasonStats reason = addReason(entry, reasonText(r), domain, failed);
        if (hard && "suppress".equals(entry.action()) && r.recipient() != null && !r.recipient().isBlank()
                && r.recipient().length() <= MAX_KEY_CHARS) {
            // the group's pattern, one string shared by all its addresses: a full text per address could
            // cost kilobytes each on a list of a hundred thousand
            suppress.add(r.recipient().toLowerCase(Locale.ROOT), entry.category(), reason.pattern, r.time());
        }
    }

    /** Memory per tracked key stays small even when a log line carries a megabyte of garbage. */
    static String key(String s) {
        return s.length() <= MAX_KEY_CHARS ? s : s.substring(0, MAX_KEY_CHARS) + "\u2026";
    }

    private void noteTime(Instant time) {
        if (time == null) {
            return;
        }
        if (firstSeen == null || time.isBefore(firstSeen)) {
            firstSeen = time;
        }
        if (lastSeen == null || time.isAfter(lastSeen)) {
            lastSeen = time;
        }
    }

    private ReasonStats addReason(ReportEntry entry, String reason, String domain, boolean failed) {
        String pattern = normalizer.normalize(reason);
        ReasonStats stats = reasons.of(pattern.toLowerCase(Locale.ROOT));
        if (stats.example == null) {
            stats.pattern = pattern;
            stats.example = reason;
            stats.category = entry.category();
            stats.action = entry.action();
            stats.advice = entry.advice();
        }
        stats.count++;
        if (failed) {
            stats.bounced++;
        }
        stats.addDomain(domain);
        return stats;
    }

    /** The reply text, cut at the limit: one absurd line must not cost unbounded memory or regex time. */
    private String reasonText(DeliveryResult r) {
        String text = r.diagnostic();
        if (text == null || text.isBlank()) {
            return NO_TEXT;
        }
        text = text.strip();
        int max = limits.maxReasonChars();
        return text.length() <= max ? text : text.substring(0, max) + " [cut at " + max + " characters]";
    }

    /** "mx.example.org[192.0.2.25]:25" as logged by Postfix becomes "mx.example.org". */
    static String remoteHost(DeliveryResult r) {
        String relay = r.relay();
        if (relay != null) {
            int cut = relay.indexOf('[');
            String name = (cut >= 0 ? relay.substring(0, cut) : relay).strip();
            if (cut < 0) {
                int colon = name.lastIndexOf(':');
                if (colon > 0 && name.indexOf(':') == colon) {
                    name = name.substring(0, colon); // host:port, not an IPv6 address
                }
            }
            if (!name.isEmpty() && !name.equalsIgnoreCase("none")) {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return r.relayIp() == null || r.relayIp().isBlank() ? null : r.relayIp().strip();
    }

    public Report build() {
        Map<DeliveryStatus, Long> byStatus = new EnumMap<>(DeliveryStatus.class);
        for (DeliveryStatus s : DeliveryStatus.values()) {
            byStatus.put(s, attempts[s.ordinal()]);
        }
        List<Report.ReasonGroup> reasonRows = new ArrayList<>();
        for (Map.Entry<String, ReasonStats> e : reasons.entries()) {
            if (reasonRows.size() == limits.shown()) {
                break;
            }
            reasonRows.add(e.getValue().toGroup());
        }
        long shownReasons = reasonRows.stream().mapToLong(Report.ReasonGroup::count).sum();
        long nonDelivered = totalAttempts() - attempts[DeliveryStatus.DELIVERED.ordinal()];
        return new Report(firstSeen, lastSeen, List.copyOf(sources), Collections.unmodifiableMap(byStatus),
                Collections.unmodifiableMap(recipients.byFinalOutcome()), recipients.exact(),
                tallyRows(categories), tallyRows(actions), tallyRows(signals), rateRows(domains), rateRows(hosts), limits.minVolume(),
                List.copyOf(reasonRows), nonDelivered - shownReasons, suppress.snapshot(), suppress.omittedBounces(),
                timeline.snapshot());
    }

    private long totalAttempts() {
        long sum = 0;
        for (long n : attempts) {
            sum += n;
        }
        return sum;
    }

    private List<Report.CountRow> tallyRows(TopKeys<Tally> tallies) {
        List<Report.CountRow> rows = new ArrayList<>();
        long restCount = tallies.other().count;
        long restHard = tallies.other().hardBounces;
        for (Map.Entry<String, Tally> e : tallies.entries()) {
            if (rows.size() < limits.shown()) {
                rows.add(new Report.CountRow(e.getKey(), e.getValue().count, e.getValue().hardBounces));
            } else {
                restCount += e.getValue().count;
                restHard += e.getValue().hardBounces;
            }
        }
        if (restCount > 0) {
            rows.add(new Report.CountRow(OTHER, restCount, restHard));
        }
        return List.copyOf(rows);
    }

    private List<Report.RateRow> rateRows(TopKeys<OutcomeCounts> counts) {
        List<Report.RateRow> rows = new ArrayList<>();
        for (Map.Entry<String, OutcomeCounts> e : counts.entries()) {
            Report.RateRow row = e.getValue().toRow(e.getKey());
            if (row.finals() >= limits.minVolume()) {
                rows.add(row);
            }
        }
        rows.sort(Comparator.comparingDouble(Report.RateRow::bounceRate).reversed()
                .thenComparing(Comparator.comparingLong(Report.RateRow::finals).reversed())
                .thenComparing(Report.RateRow::key));
        return List.copyOf(rows.subList(0, Math.min(rows.size(), limits.shown())));
    }
}
