package dev.bouncewatch.agent.config;

import java.time.Duration;

/**
 * {@code notify.alerts}: when rules are evaluated, how alerts are grouped into messages
 * (Alertmanager's three timers) and each rule's thresholds. Defaults follow
 * research/notifications.md section 8; every rule can be switched off.
 *
 * @param evaluationInterval how often the rules look at recent results
 * @param groupWait          a new alert waits this long before its first message (quiets flapping)
 * @param groupInterval      at most one update per group this often
 * @param repeatInterval     an unchanged firing alert is repeated this often
 */
public record AlertsConfig(boolean enabled, Duration evaluationInterval, Duration groupWait, Duration groupInterval,
                           Duration repeatInterval, BounceRate senderBounceRate, BounceRate recipientBounceRate,
                           Blocklisted blocklisted, DeferralSpike deferralSpike, AuthFailure authFailure,
                           SuppressionSurge suppressionSurge, AgentHealth agentHealth) {

    /**
     * Bounced (incl. expired) share of finished deliveries over {@code window}; nothing fires below
     * {@code minVolume} finished deliveries, where a few bounces make a large rate.
     */
    public record BounceRate(boolean enabled, Duration window, double warning, double critical, long minVolume) {
    }

    /** Replies that name a blocklist or a provider block; {@code critical} matches make it critical. */
    public record Blocklisted(boolean enabled, Duration window, long minCount, long critical) {
    }

    /**
     * Deferred share of attempts per provider in {@code window} against its own rate over
     * {@code baselineWindow}: fires at {@code factor} times the baseline and at least {@code minRate}.
     */
    public record DeferralSpike(boolean enabled, Duration window, double factor, double minRate, double critical,
                                long minVolume, Duration baselineWindow) {
    }

    /** SPF/DKIM/DMARC rejections per sending domain. */
    public record AuthFailure(boolean enabled, Duration window, long minCount, long critical) {
    }

    /** New suppressions in {@code window}: at least {@code minCount} and {@code factor} times the usual rate. */
    public record SuppressionSurge(boolean enabled, Duration window, long minCount, double factor, Duration baselineWindow) {
    }

    /**
     * The agent itself: a source behind by {@code sourceLag} (critical at {@code sourceLagCritical}),
     * a destination failing for {@code notifierFailing}, a paused destination, dead letters.
     */
    public record AgentHealth(boolean enabled, Duration sourceLag, Duration sourceLagCritical, Duration notifierFailing) {
    }

    public static AlertsConfig defaults() {
        return new AlertsConfig(true, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofHours(4),
                // SES reviews senders at 5% and AWS advises under 2%; rates mean little under 100 sends
                new BounceRate(true, Duration.ofHours(1), 0.02, 0.05, 100),
                // one domain bouncing 10% of our mail has likely stopped accepting it
                new BounceRate(true, Duration.ofHours(1), 0.10, 0.25, 50),
                new Blocklisted(true, Duration.ofHours(1), 1, 10),
                new DeferralSpike(true, Duration.ofMinutes(15), 3.0, 0.20, 0.50, 50, Duration.ofDays(7)),
                new AuthFailure(true, Duration.ofHours(1), 3, 50),
                new SuppressionSurge(true, Duration.ofHours(1), 100, 3.0, Duration.ofDays(7)),
                new AgentHealth(true, Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofMinutes(15)));
    }
}
