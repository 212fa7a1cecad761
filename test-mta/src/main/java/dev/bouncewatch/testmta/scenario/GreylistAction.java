package dev.bouncewatch.testmta.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Postgrey-style greylisting of the triplet (client /24 or /64, sender, recipient). The first
 * attempt is answered with the grey reply; a retry after {@code minDelay} but within
 * {@code retryWindow} of the first attempt passes, and the triplet then stays whitelisted for
 * {@code whitelistTtl} after its last pass. A passing triplet makes the rule not apply, so later
 * rules (or the default accept) decide.
 */
final class GreylistAction implements Action {

    /** Postgrey's defaults: --delay=300, --retry-window=2d, --max-age=35d. */
    static final Duration DEFAULT_MIN_DELAY = Duration.ofMinutes(5);
    static final Duration DEFAULT_RETRY_WINDOW = Duration.ofDays(2);
    static final Duration DEFAULT_WHITELIST_TTL = Duration.ofDays(35);

    private record Triplet(long firstSeen, boolean passed) {
    }

    private final Duration minDelay;
    private final Duration retryWindow;
    private final Duration whitelistTtl;
    private final ReplyTemplate greyReply;
    private final ExpiringStore<Triplet> triplets;

    GreylistAction(Duration minDelay, Duration retryWindow, Duration whitelistTtl, ReplyTemplate greyReply, int capacity) {
        this.minDelay = minDelay;
        this.retryWindow = retryWindow;
        this.whitelistTtl = whitelistTtl;
        this.greyReply = greyReply;
        this.triplets = new ExpiringStore<>(capacity);
    }

    @Override
    public Outcome decide(Evaluation ev, String ruleId, Duration delay, long now) {
        String key = Evaluation.network(ev.context().clientAddress()) + "|" + lower(ev.context().mailFrom()) + "|"
                + lower(ev.recipient());
        long min = minDelay.toMillis();
        Triplet t = triplets.update(key, now, old -> {
            if (old == null) {
                return new Triplet(now, false);
            }
            if (old.passed() || now - old.firstSeen() >= min) {
                return new Triplet(old.firstSeen(), true);
            }
            return old;
        }, v -> v.passed() ? now + whitelistTtl.toMillis() : v.firstSeen() + retryWindow.toMillis());
        if (t.passed()) {
            return null;
        }
        return new Outcome.Respond(ruleId, delay, greyReply.render(ev), false);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    @Override
    public String describe() {
        return "greylist (retry after " + Quantities.format(minDelay) + " within " + Quantities.format(retryWindow)
                + ", whitelist for " + Quantities.format(whitelistTtl) + "), while grey reply " + greyReply.summary();
    }

    @Override
    public List<ExpiringStore<?>> stores() {
        return List.of(triplets);
    }
}
