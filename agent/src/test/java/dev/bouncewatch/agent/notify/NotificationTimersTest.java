package dev.bouncewatch.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.config.NotifyConfig;
import dev.bouncewatch.agent.notify.alert.AgentHealthBoard;
import dev.bouncewatch.agent.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationTimersTest {

    @TempDir
    Path dir;

    @Test
    void oneRoundEvaluatesAlertsAndTheDigestAndSurvivesAClosedStore() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-28T13:00:00Z"));
        AgentHealthBoard board = new AgentHealthBoard(clock);
        AtomicInteger wakes = new AtomicInteger();
        Store store = Store.open(dir.resolve("bouncewatch.db"));
        NotificationTimers timers = NotificationTimers.create(store, NotifyConfig.defaults(), List.of(), board, "mx1", clock,
                wakes::incrementAndGet);
        timers.runOnce();
        try (Connection c = ReadOnlyDatabase.open(store.file()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM notify_schedule")) {
            assertThat(rs.getLong(1)).as("the digest schedule was initialised").isEqualTo(1);
        }
        store.close();
        timers.runOnce(); // logged, not thrown
        timers.start();
        timers.close();
        assertThat(wakes.get()).isZero();
    }
}
