package dev.bouncewatch.agent.store;

import java.util.Objects;

/**
 * One forward schema change: the SQL of {@code NNN-name.sql}, applied when {@code PRAGMA user_version}
 * is below {@code version}.
 *
 * @param origin where the SQL came from, for error messages (a resource path)
 */
public record Migration(int version, String name, String sql, String origin) {

    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("migration version must be >= 1, was " + version + " (" + origin + ")");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(origin, "origin");
    }
}
