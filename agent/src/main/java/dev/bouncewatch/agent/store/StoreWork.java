package dev.bouncewatch.agent.store;

import java.sql.SQLException;

/** Work done inside one write transaction; see {@link Store#write}. */
@FunctionalInterface
public interface StoreWork<T> {

    T run(StoreTransaction tx) throws SQLException;
}
