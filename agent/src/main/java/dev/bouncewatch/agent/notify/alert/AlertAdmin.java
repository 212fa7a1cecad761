package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.notify.ReadOnlyDatabase;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the CLI does with alerts: list the groups and mutes, mute a rule (in one scope or all) for a
 * while, unmute. Writes go through the store, so a running agent sees them at its next evaluation.
 */
public final class AlertAdmin {

    private final Store store;
    private final Clock clock;

    public AlertAdmin(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param scope {@code provider=microsoft}, or null/empty for every scope of the rule
     * @throws IllegalArgumentException for an unknown rule, a malformed scope or a duration that is not positive
     */
    public Mute mute(String rule, String scope, Duration duration, String reason) throws StoreException {
        checkRule(rule);
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("the mute duration must be positive, e.g. 2h");
        }
        Instant now = clock.instant();
        Mute m = new Mute(rule, normalScope(scope), now.plus(duration), reason == null || reason.isBlank() ? null : reason.strip(), now);
        store.write(tx -> {
            new AlertStateTable(tx.connection()).saveMute(m);
            return null;
        });
        return m;
    }

    /** True when a mute of exactly this rule and scope was removed. */
    public boolean unmute(String rule, String scope) throws StoreException {
        checkRule(rule);
        String s = normalScope(scope);
        return store.write(tx -> new AlertStateTable(tx.connection()).deleteMute(rule, s));
    }

    public List<Mute> mutes() throws StoreException {
        try (Connection c = ReadOnlyDatabase.open(store.file())) {
            return new AlertStateTable(c).mutes(clock.instant());
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": reading mutes failed: " + e.getMessage(), e);
        }
    }

    /** Every group the engine keeps: active, waiting, or recently resolved. */
    public List<GroupState> groups() throws StoreException {
        try (Connection c = ReadOnlyDatabase.open(store.file())) {
            return new ArrayList<>(new AlertStateTable(c).groups().values());
        } catch (SQLException e) {
            throw new StoreException(store.file() + ": reading alert groups failed: " + e.getMessage(), e);
        }
    }

    private static void checkRule(String rule) {
        if (rule == null || !AlertEngine.ruleIds().contains(rule)) {
            throw new IllegalArgumentException("unknown rule '" + rule + "'; rules are: " + String.join(", ", AlertEngine.ruleIds()));
        }
    }

    private static String normalScope(String scope) {
        return scope == null || scope.isBlank() ? "" : Scope.parse(scope).toString();
    }
}
