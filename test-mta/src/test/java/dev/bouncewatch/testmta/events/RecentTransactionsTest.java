package dev.bouncewatch.testmta.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.session.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentTransactionsTest {

    @Test
    void keepsTheLastNNewestFirst() {
        RecentTransactions recent = new RecentTransactions(3);
        for (int i = 1; i <= 5; i++) {
            recent.onReply(Events.at("s" + i, Stage.MAIL, 250));
        }
        assertThat(recent.newest(10, TransactionFilter.ALL)).extracting(TransactionEvent::sessionId)
                .containsExactly("s5", "s4", "s3");
        assertThat(recent.newest(2, TransactionFilter.ALL)).extracting(TransactionEvent::sessionId)
                .containsExactly("s5", "s4");
        assertThat(recent.total()).isEqualTo(5);
    }

    @Test
    void filtersBySessionStageAndCodeOrClass() {
        RecentTransactions recent = new RecentTransactions(100);
        recent.onReply(Events.at("a", Stage.CONNECT, 220));
        recent.onReply(Events.rcpt("a", "x@example.test", 550, "5.1.1", "no such user", "r1"));
        recent.onReply(Events.rcpt("b", "y@example.test", 451, "4.7.1", "greylisted", "grey"));
        recent.onReply(Events.rcpt("b", "z@example.test", 552, "5.2.2", "mailbox full", null));

        assertThat(recent.newest(10, TransactionFilter.parse("b", null, null))).hasSize(2);
        assertThat(recent.newest(10, TransactionFilter.parse(null, "rcpt", "5xx")))
                .extracting(TransactionEvent::recipient).containsExactly("z@example.test", "x@example.test");
        assertThat(recent.newest(10, TransactionFilter.parse(null, null, "451")))
                .extracting(TransactionEvent::ruleId).containsExactly("grey");
        assertThat(recent.newest(10, TransactionFilter.parse("a", "connect", "2xx"))).hasSize(1);
        assertThat(recent.newest(10, TransactionFilter.parse("", "", ""))).hasSize(4);
    }

    @Test
    void badFiltersNameTheParameter() {
        assertThatThrownBy(() -> TransactionFilter.parse(null, "bogus", null)).hasMessageStartingWith("stage:");
        assertThatThrownBy(() -> TransactionFilter.parse(null, null, "55")).hasMessageStartingWith("code:");
        assertThatThrownBy(() -> TransactionFilter.parse(null, null, "650")).hasMessageStartingWith("code:");
    }

    @Test
    void concurrentWritersNeverCorruptTheRing() throws Exception {
        RecentTransactions recent = new RecentTransactions(1000);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    recent.onReply(Events.at("t" + id, Stage.RCPT, 250));
                    if (i % 1000 == 0) {
                        recent.newest(50, TransactionFilter.ALL);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        List<TransactionEvent> all = recent.newest(5000, TransactionFilter.ALL);
        assertThat(all).hasSize(1000).doesNotContainNull();
        assertThat(recent.total()).isEqualTo(40_000);
    }
}
