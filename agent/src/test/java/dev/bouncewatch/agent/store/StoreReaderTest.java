package dev.bouncewatch.agent.store;

import static dev.bouncewatch.agent.store.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.model.DeliveryStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreReaderTest {

    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(dir.resolve("r.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<Long> insert(StoredResult... results) throws StoreException {
        return store.write(tx -> {
            List<Long> ids = new ArrayList<>();
            for (StoredResult r : results) {
                ids.add(tx.insertResult(r).id());
            }
            return ids;
        });
    }

    @Test
    void pagesWalkEveryRowOnceNewestFirst() throws Exception {
        List<StoredResult> all = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            all.add(Results.delivered("u" + i + "@example.com", T0.plusSeconds(i)));
        }
        List<Long> ids = insert(all.toArray(StoredResult[]::new));

        List<Long> seen = new ArrayList<>();
        Long cursor = null;
        int pages = 0;
        do {
            ResultPage page = store.reader().results(new ResultQuery(null, null, Set.of(), null, null, null, cursor, 10));
            page.items().forEach(r -> seen.add(r.id()));
            cursor = page.nextBeforeId();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        List<Long> expected = new ArrayList<>(ids);
        java.util.Collections.reverse(expected);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void aPageExactlyFullHasNoNextCursor() throws Exception {
        insert(Results.delivered("a@example.com", T0), Results.delivered("b@example.com", T0));
        assertThat(store.reader().results(ResultQuery.latest(2)).nextBeforeId()).isNull();
        ResultPage one = store.reader().results(ResultQuery.latest(1));
        assertThat(one.nextBeforeId()).isEqualTo(one.items().get(0).id());
    }

    @Test
    void filtersCombine() throws Exception {
        List<Long> ids = insert(
                Results.delivered("Ann@Example.com", T0),                                                // 0
                Results.bounced("ann@example.com", T0.plusSeconds(60), Category.USERUNKNOWN, "5.1.1", "x"), // 1
                Results.deferred("bob@other.org", T0.plusSeconds(120), Category.MAILBOXFULL, "4.2.2", "y"), // 2
                Results.bounced("bob@other.org", T0.plusSeconds(180), Category.BLOCKED, "5.7.1", "z"),     // 3
                Results.delivered("carl@OTHER.org", T0.plusSeconds(240)));                                // 4

        assertThat(ids(query(T0.plusSeconds(60), T0.plusSeconds(180), Set.of(), null, null, null)))
                .containsExactly(ids.get(2), ids.get(1));
        assertThat(ids(query(null, null, Set.of(DeliveryStatus.BOUNCED, DeliveryStatus.DEFERRED), null, null, null)))
                .containsExactly(ids.get(3), ids.get(2), ids.get(1));
        assertThat(ids(query(null, null, Set.of(), "USERUNKNOWN", null, null))).containsExactly(ids.get(1));
        assertThat(ids(query(null, null, Set.of(), null, "ANN@example.COM", null)))
                .containsExactly(ids.get(1), ids.get(0));
        assertThat(ids(query(null, null, Set.of(), null, null, "Other.ORG")))
                .containsExactly(ids.get(4), ids.get(3), ids.get(2));
        assertThat(ids(query(null, null, Set.of(DeliveryStatus.BOUNCED), null, null, "other.org")))
                .containsExactly(ids.get(3));
        // hostile text is only ever a bound value
        assertThat(ids(query(null, null, Set.of(), "x' OR '1'='1", "' OR 1=1 --", null))).isEmpty();
    }

    private List<StoredResult> query(Instant since, Instant until, Set<DeliveryStatus> statuses, String category,
                                     String recipient, String domain) throws StoreException {
        return store.reader().results(new ResultQuery(since, until, statuses, category, recipient, domain, null, 100))
                .items();
    }

    private static List<Long> ids(List<StoredResult> rs) {
        return rs.stream().map(StoredResult::id).toList();
    }

    @Test
    void statsMatchHandCountedExpectations() throws Exception {
        // window: T0 .. T0+30min, buckets of 10 min; one row before and one at the end (excluded)
        insert(
                Results.delivered("early@a.com", T0.minusSeconds(1)),
                Results.delivered("x1@a.com", T0),                                                                // b0
                Results.delivered("x2@a.com", T0.plusSeconds(60)),                                                // b0
                Results.bounced("y1@a.com", T0.plusSeconds(600), Category.USERUNKNOWN, "5.1.1", "550 old text"),   // b1
                Results.bounced("y2@b.com", T0.plusSeconds(700), Category.USERUNKNOWN, "5.1.1", "550 newest text"),// b1
                Results.deferred("z1@b.com", T0.plusSeconds(1200), Category.MAILBOXFULL, "4.2.2", "452 full"),     // b2
                Results.result("w1@c.com", T0.plusSeconds(1300), DeliveryStatus.EXPIRED, Category.EXPIRED,
                        dev.bouncewatch.agent.classify.Severity.TRANSIENT, "4.4.7", 451, "timed out"),          // b2
                Results.delivered("x3@b.com", T0.plusSeconds(1799)),                                              // b2
                Results.delivered("late@a.com", T0.plusSeconds(1800)));

        Stats s = store.reader().stats(T0, T0.plusSeconds(1800), Duration.ofMinutes(10), 2);

        assertThat(s.total()).isEqualTo(7);
        assertThat(s.byStatus()).isEqualTo(Map.of(DeliveryStatus.DELIVERED, 3L, DeliveryStatus.BOUNCED, 2L,
                DeliveryStatus.DEFERRED, 1L, DeliveryStatus.EXPIRED, 1L));
        assertThat(s.byCategory()).containsExactly(new Stats.Count("userunknown", 2),
                new Stats.Count("expired", 1), new Stats.Count("mailboxfull", 1));
        // a.com: x1 x2 y1 = 3 (1 bounced); b.com: y2 z1 x3 = 3 (1 bounced, 1 deferred); c.com cut by maxDomains
        assertThat(s.byDomain()).containsExactly(new Stats.DomainCounts("a.com", 3, 2, 0, 1),
                new Stats.DomainCounts("b.com", 3, 1, 1, 1));
        assertThat(s.byDomain().get(0).bounceRate()).isEqualTo(1.0 / 3);
        assertThat(s.timeline()).containsExactly(
                new Stats.Bucket(T0, 2, 2, 0, 0),
                new Stats.Bucket(T0.plusSeconds(600), 2, 0, 0, 2),
                new Stats.Bucket(T0.plusSeconds(1200), 3, 1, 1, 1));
        assertThat(s.topReasons()).hasSize(3);
        Stats.Reason top = s.topReasons().get(0);
        assertThat(top).isEqualTo(new Stats.Reason("userunknown", "5.1.1", "suppress", 2, "550 newest text"));
        assertThat(s.topReasons()).extracting(Stats.Reason::category).containsExactly("userunknown", "expired",
                "mailboxfull");
    }

    @Test
    void anEmptyWindowHasZeroesForEveryStatusAndEmptyBuckets() throws Exception {
        Stats s = store.reader().stats(T0, T0.plusSeconds(3600), Duration.ofMinutes(25), 10);
        assertThat(s.total()).isZero();
        assertThat(s.byStatus()).hasSize(4).allSatisfy((k, v) -> assertThat(v).isZero());
        assertThat(s.timeline()).hasSize(3); // 25 + 25 + 10 minutes
        assertThat(s.timeline().get(2).start()).isEqualTo(T0.plusSeconds(3000));
        assertThat(s.byCategory()).isEmpty();
        assertThat(s.topReasons()).isEmpty();
    }

    @Test
    void absurdBucketCountsAreRefused() {
        assertThatThrownBy(() -> store.reader().stats(T0, T0.plus(Duration.ofDays(30)), Duration.ofSeconds(1), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buckets");
        assertThatThrownBy(() -> store.reader().stats(T0, T0.minusSeconds(1), Duration.ofSeconds(1), 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void suppressionsListFilterAndCount() throws Exception {
        store.write(tx -> {
            tx.suppress(manual("Alice@Example.com", T0));
            tx.suppress(manual("bob@example.com", T0.plusSeconds(1)));
            tx.suppress(manual("under_score@example.org", T0.plusSeconds(2)));
            tx.suppress(manual("underXscore@example.org", T0.plusSeconds(3)));
            return null;
        });
        assertThat(store.reader().suppressionCount()).isEqualTo(4);
        assertThat(store.reader().suppression("ALICE@example.com")).get()
                .extracting(Suppression::address).isEqualTo("alice@example.com");
        assertThat(store.reader().suppressions(null, 10, 0)).extracting(Suppression::address)
                .containsExactly("underxscore@example.org", "under_score@example.org", "bob@example.com",
                        "alice@example.com");
        assertThat(store.reader().suppressions(null, 2, 1)).extracting(Suppression::address)
                .containsExactly("under_score@example.org", "bob@example.com");
        // LIKE wildcards in the filter are literal
        assertThat(store.reader().suppressions("R_S", 10, 0)).extracting(Suppression::address)
                .containsExactly("under_score@example.org");
        assertThat(store.reader().suppressions("%", 10, 0)).isEmpty();
        assertThat(store.reader().suppressions("EXAMPLE.COM", 10, 0)).hasSize(2);
    }

    @Test
    void suppressReportsWhetherTheAddressIsNewAndUnsuppressWhetherItWasThere() throws Exception {
        boolean added = store.write(tx -> tx.suppress(manual("a@example.com", T0)));
        boolean addedAgain = store.write(tx -> tx.suppress(manual("A@EXAMPLE.COM", T0.plusSeconds(5))));
        assertThat(added).isTrue();
        assertThat(addedAgain).isFalse();
        assertThat(store.reader().suppression("a@example.com").orElseThrow().createdAt()).isEqualTo(T0.plusSeconds(5));
        boolean removed = store.write(tx -> tx.unsuppress("A@example.com"));
        boolean removedAgain = store.write(tx -> tx.unsuppress("a@example.com"));
        assertThat(removed).isTrue();
        assertThat(removedAgain).isFalse();
        assertThat(store.reader().suppressionCount()).isZero();
    }

    @Test
    void sizeCountsRowsAndTheWal() throws Exception {
        insert(Results.delivered("a@example.com", T0), Results.delivered("b@example.com", T0));
        store.write(tx -> {
            tx.suppress(manual("c@example.com", T0));
            tx.enqueue(OutboxEntry.pending("slack", "e1", "message.bounced", null, "{}", T0));
            tx.enqueue(OutboxEntry.pending("slack", "e2", "message.bounced", null, "{}", T0));
            tx.connection().createStatement().executeUpdate("UPDATE outbox SET state = 'dead' WHERE event_id = 'e2'");
            return null;
        });
        StoreReader.StoreSize size = store.reader().size();
        assertThat(size.results()).isEqualTo(2);
        assertThat(size.suppressions()).isEqualTo(1);
        assertThat(size.outboxPending()).isEqualTo(1);
        assertThat(size.outboxDead()).isEqualTo(1);
        long onDisk = java.nio.file.Files.size(store.file())
                + java.nio.file.Files.size(Path.of(store.file() + "-wal"));
        assertThat(size.fileBytes()).isEqualTo(onDisk).isPositive();
    }

    static Suppression manual(String address, Instant at) {
        return new Suppression(address, Suppression.ORIGIN_MANUAL, "manual", null, at, at, null, null, null, null, 0);
    }
}
