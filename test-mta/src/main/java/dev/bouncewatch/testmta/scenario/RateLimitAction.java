package dev.bouncewatch.testmta.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A token bucket per key (e.g. {@code {mail_from_domain}} or {@code {client_ip}}): each decision
 * takes a token; tokens come back at {@code perSecond} up to {@code burst}. With tokens left the
 * rule does not apply; with an empty bucket it answers, so 421/451 replies follow the sender's
 * real throughput instead of a flat probability (Mailpit #676).
 */
final class RateLimitAction implements Action {

    private record Bucket(double tokens, long updated, boolean granted) {
    }

    private final Template key;
    private final double perSecond;
    private final int burst;
    private final ReplyAction onEmpty;
    private final ExpiringStore<Bucket> buckets;

    RateLimitAction(Template key, double perSecond, int burst, ReplyAction onEmpty, int capacity) {
        this.key = key;
        this.perSecond = perSecond;
        this.burst = burst;
        this.onEmpty = onEmpty;
        this.buckets = new ExpiringStore<>(capacity);
    }

    @Override
    public Outcome decide(Evaluation ev, String ruleId, Duration delay, long now) {
        double perMilli = perSecond / 1000.0;
        Bucket b = buckets.update(key.render(ev::variable), now, old -> {
            double tokens = old == null ? burst : Math.min(burst, old.tokens() + (now - old.updated()) * perMilli);
            return tokens >= 1 ? new Bucket(tokens - 1, now, true) : new Bucket(tokens, now, false);
        }, v -> now + (long) Math.ceil((burst - v.tokens()) / perMilli) + 1); // a full bucket is as good as none
        if (b.granted()) {
            return null;
        }
        return onEmpty.decide(ev, ruleId, delay, now);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "rate limit per '%s' at %s/s, burst %d; when exceeded %s", key.source(),
                perSecond, burst, onEmpty.describe());
    }

    @Override
    public List<ExpiringStore<?>> stores() {
        return List.of(buckets);
    }
}
