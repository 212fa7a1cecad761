package dev.bouncewatch.agent.store;

import static dev.bouncewatch.agent.store.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    @TempDir
    Path dir;

    @Test
    void aSecondEntryWithTheSameDestinationAndEventIdIsNotAdded() throws Exception {
        try (Store store = Store.open(dir.resolve("o.db"))) {
            OutboxEntry first = store.write(tx -> tx.enqueue(
                    OutboxEntry.pending("hook", "evt-1", "message.bounced", null, "{\"a\":1}", T0)));
            OutboxEntry again = store.write(tx -> tx.enqueue(
                    OutboxEntry.pending("hook", "evt-1", "message.bounced", null, "{\"a\":2}", T0.plusSeconds(9))));
            OutboxEntry otherDestination = store.write(tx -> tx.enqueue(
                    OutboxEntry.pending("slack", "evt-1", "message.bounced", null, "{\"a\":3}", T0)));
            assertThat(first.id()).isPositive();
            assertThat(again).isEqualTo(first);
            assertThat(again.payload()).isEqualTo("{\"a\":1}");
            assertThat(otherDestination.id()).isNotEqualTo(first.id());
            assertThat(rows(store)).containsExactly("hook evt-1 pending {\"a\":1}", "slack evt-1 pending {\"a\":3}");
        }
    }

    @Test
    void aNewerPendingEntryOfTheSameGroupReplacesTheOlderOnesOfThatDestinationOnly() throws Exception {
        try (Store store = Store.open(dir.resolve("g.db"))) {
            store.write(tx -> {
                tx.enqueue(OutboxEntry.pending("slack", "a1", "alert.firing", "alert:rate", "firing 1", T0));
                tx.enqueue(OutboxEntry.pending("hook", "a1", "alert.firing", "alert:rate", "firing 1", T0));
                tx.enqueue(OutboxEntry.pending("slack", "b1", "message.bounced", null, "bounce", T0));
                tx.enqueue(OutboxEntry.pending("slack", "d1", "alert.firing", "alert:other", "other", T0));
                return null;
            });
            // one already delivered entry of the group stays: it is history, not pending state
            store.write(tx -> tx.connection().createStatement()
                    .executeUpdate("UPDATE outbox SET state = 'delivered' WHERE event_id = 'd1'"));
            store.write(tx -> {
                tx.enqueue(OutboxEntry.pending("slack", "d2", "alert.firing", "alert:other", "other 2", T0));
                return tx.enqueue(OutboxEntry.pending("slack", "a2", "alert.resolved", "alert:rate", "resolved", T0));
            });
            assertThat(rows(store)).containsExactly(
                    "hook a1 pending firing 1",
                    "slack b1 pending bounce",
                    "slack d1 delivered other",
                    "slack d2 pending other 2",
                    "slack a2 pending resolved");
        }
    }

    private static List<String> rows(Store store) throws StoreException {
        return store.maintain("read outbox", c -> {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT destination, event_id, state, payload FROM outbox ORDER BY destination, id")) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
            } catch (SQLException e) {
                throw e;
            }
            return out;
        });
    }
}
