package dev.bouncewatch.agent.suppress;

import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.classify.Severity;
import dev.bouncewatch.agent.config.SuppressionConfig;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.store.StoreTransaction;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, for each stored result, whether its recipient goes on the suppression list: a permanent
 * failure of a category with a rule, often enough within the rule's window. Categories in
 * {@code never} (the sender's own problems: blocks, reputation, authentication) never suppress.
 */
public final class SuppressionPolicy {

    /** The longest reason text kept; remote replies can be kilobytes. */
    static final int MAX_REASON = 300;
    /** The longest diagnostic kept on the entry (the full text stays on the result). */
    static final int MAX_DIAGNOSTIC = 1000;
    private static final int MAX_HOST = 100;

    private final boolean enabled;
    private final Map<String, SuppressionConfig.Rule> rules;
    private final Set<String> never;

    private SuppressionPolicy(boolean enabled, Map<String, SuppressionConfig.Rule> rules, Set<String> never) {
        this.enabled = enabled;
        this.rules = rules;
        this.never = never;
    }

    /** Category names are matched by their canonical wire names, so {@code ratelimited} means {@code speeding}. */
    public static SuppressionPolicy from(SuppressionConfig config) {
        Map<String, SuppressionConfig.Rule> rules = new HashMap<>();
        config.rules().forEach((category, rule) -> {
            if (rule.failures() < 1) {
                throw new IllegalArgumentException("suppression rule for " + category + ": failures must be >= 1, was "
                        + rule.failures());
            }
            rules.put(canonical(category), rule);
        });
        Set<String> never = new HashSet<>();
        config.never().forEach(c -> never.add(canonical(c)));
        return new SuppressionPolicy(config.enabled(), Map.copyOf(rules), Set.copyOf(never));
    }

    /**
     * Called in the batch's transaction after {@code stored} was inserted (so it counts itself).
     * Returns the entry it added, or empty when the address stays off the list or was on it already.
     */
    public Optional<Suppression> decide(StoreTransaction tx, StoredResult stored) throws SQLException {
        DeliveryResult r = stored.result();
        String category = canonical(stored.classification().category());
        if (!enabled
                || stored.classification().severity() != Severity.PERMANENT
                || (r.status() != DeliveryStatus.BOUNCED && r.status() != DeliveryStatus.EXPIRED)
                || r.recipient() == null || r.recipient().isBlank()
                || never.contains(category)) {
            return Optional.empty();
        }
        SuppressionConfig.Rule rule = rules.get(category);
        if (rule == null) {
            return Optional.empty();
        }
        if (EmailAddress.check(r.recipient()).isPresent()) {
            return Optional.empty(); // a local mailbox name or garbage from the log: nothing a list can hold
        }
        String address = EmailAddress.normalise(r.recipient());
        if (tx.suppression(address).isPresent()) {
            return Optional.empty();
        }
        Instant time = r.time() != null ? r.time() : stored.ingestedAt();
        Duration window = rule.window() != null ? rule.window() : Duration.ZERO;
        int failures = rule.failures() == 1 ? 1 : tx.countFailures(address, category, time.minus(window));
        if (failures < rule.failures()) {
            return Optional.empty();
        }
        Suppression entry = new Suppression(address, Suppression.ORIGIN_BOUNCE, reason(category, rule, failures, r),
                category, stored.ingestedAt(), stored.ingestedAt(), stored.id() == 0 ? null : stored.id(), r.dsn(),
                r.replyCode(), bound(printable(r.diagnostic()), MAX_DIAGNOSTIC), failures);
        tx.suppress(entry);
        return Optional.of(entry);
    }

    /** "mailboxfull (3 failures within 14 days): 552 5.2.2 Mailbox full from mx.example.com", bounded. */
    static String reason(String category, SuppressionConfig.Rule rule, int failures, DeliveryResult r) {
        StringBuilder s = new StringBuilder(category);
        if (rule.failures() > 1) {
            s.append(" (").append(failures).append(" failures within ").append(describe(rule.window())).append(')');
        }
        s.append(':');
        String diagnostic = printable(r.diagnostic());
        String code = r.replyCode() != null ? r.replyCode().toString() : "";
        if (r.dsn() != null) {
            code = (code + " " + r.dsn()).trim();
        }
        if (!code.isEmpty() && (diagnostic == null || !diagnostic.startsWith(code))) {
            s.append(' ').append(code);
        }
        if (diagnostic != null && !diagnostic.isBlank()) {
            s.append(' ').append(diagnostic);
        }
        String host = printable(r.relay());
        String from = host != null && !host.isBlank() ? bound(" from " + host, MAX_HOST) : "";
        int room = MAX_REASON - from.length();
        return bound(s.toString(), room) + from;
    }

    private static String describe(Duration window) {
        if (window == null || window.isZero()) {
            return "any time";
        }
        long days = window.toDays();
        if (days > 0 && window.equals(Duration.ofDays(days))) {
            return days == 1 ? "1 day" : days + " days";
        }
        long hours = window.toHours();
        if (hours > 0 && window.equals(Duration.ofHours(hours))) {
            return hours == 1 ? "1 hour" : hours + " hours";
        }
        return window.toString();
    }

    /** Remote text on one line: control characters (CR, LF, tabs, ESC ...) become spaces. */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            s.append(Character.isISOControl(c) ? ' ' : c);
        }
        return s.toString().replaceAll(" {2,}", " ").strip();
    }

    /** At most {@code max} characters, with an ellipsis when cut, never splitting a surrogate pair. */
    static String bound(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Math.max(0, max - 1);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    static String canonical(String category) {
        return Category.fromWireName(category).map(Category::wireName)
                .orElse(category.trim().toLowerCase(Locale.ROOT));
    }
}
