package dev.bouncewatch.agent.notify.alert;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A condition on {@code results} rows as SQL with bound arguments: rules combine these to ask for
 * the top replies and domains behind an alert. Values are always bound, never spliced in.
 */
record ResultFilter(String sql, List<Object> args) {

    /** The sender's domain, lower case, '' when the sender has none (bounces we generate). */
    static final String SENDER_DOMAIN = "(CASE WHEN instr(sender, '@') > 0"
            + " THEN lower(substr(sender, instr(sender, '@') + 1)) ELSE '' END)";

    /** Rows whose signals contain this exact token (signals are space separated). */
    static final String HAS_SIGNAL = "(' ' || signals || ' ') LIKE ? ESCAPE '\\'";

    static final ResultFilter FAILED = new ResultFilter(
            "status IN ('bounced', 'expired') AND category <> 'suppressed'", List.of());
    static final ResultFilter DEFERRED = new ResultFilter("status = 'deferred'", List.of());
    /** Spelled as a list so SQLite can use the (status, time) index instead of scanning the window. */
    static final ResultFilter NOT_DELIVERED = new ResultFilter("status IN ('deferred', 'bounced', 'expired')", List.of());

    ResultFilter {
        args = List.copyOf(args);
    }

    static ResultFilter senderDomain(String domain) {
        return new ResultFilter(SENDER_DOMAIN + " = ?", List.of(domain));
    }

    static ResultFilter recipientDomains(Collection<String> domains) {
        if (domains.isEmpty()) {
            return new ResultFilter("0", List.of());
        }
        return new ResultFilter("recipient_domain IN (" + String.join(", ", domains.stream().map(d -> "?").toList()) + ")",
                List.copyOf(domains));
    }

    static ResultFilter category(String category) {
        return new ResultFilter("category = ?", List.of(category));
    }

    static ResultFilter signal(String token) {
        return new ResultFilter(HAS_SIGNAL, List.of("% " + likeEscape(token) + " %"));
    }

    static ResultFilter notSignal(String token) {
        ResultFilter has = signal(token);
        return new ResultFilter("NOT " + has.sql, has.args);
    }

    ResultFilter and(ResultFilter other) {
        List<Object> all = new ArrayList<>(args);
        all.addAll(other.args);
        return new ResultFilter("(" + sql + ") AND (" + other.sql + ")", all);
    }

    static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
