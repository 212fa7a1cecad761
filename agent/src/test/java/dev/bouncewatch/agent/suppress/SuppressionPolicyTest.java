package dev.bouncewatch.agent.suppress;

import static dev.bouncewatch.agent.store.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.classify.Severity;
import dev.bouncewatch.agent.config.SuppressionConfig;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.store.Results;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SuppressionPolicyTest {

    @TempDir
    Path dir;
    Store store;
    SuppressionPolicy policy = SuppressionPolicy.from(SuppressionConfig.defaults());

    @BeforeEach
    void open() throws Exception {
        store = Store.open(dir.resolve("s.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Inserts the result and asks the policy, in one transaction, like the pipeline does. */
    private Optional<Suppression> ingest(StoredResult r) throws Exception {
        return store.write(tx -> policy.decide(tx, tx.insertResult(r)));
    }

    private static StoredResult permanent(String to, Instant at, Category category) {
        return Results.bounced(to, at, category, "5.1.1", "550 5.1.1 <" + to + ">: rejected");
    }

    @ParameterizedTest
    @EnumSource(value = Category.class, names = {"USERUNKNOWN", "HOSTUNKNOWN", "HASMOVED", "NOTACCEPT"})
    void addressLevelCategoriesSuppressAtTheFirstPermanentFailure(Category category) throws Exception {
        Optional<Suppression> s = ingest(permanent("Jane@Example.com", T0, category));
        assertThat(s).isPresent();
        assertThat(s.get().address()).isEqualTo("jane@example.com");
        assertThat(s.get().origin()).isEqualTo(Suppression.ORIGIN_BOUNCE);
        assertThat(s.get().category()).isEqualTo(category.wireName());
        assertThat(s.get().failures()).isEqualTo(1);
        assertThat(s.get().resultId()).isPositive();
        assertThat(s.get().dsn()).isEqualTo("5.1.1");
        assertThat(s.get().replyCode()).isEqualTo(550);
        assertThat(store.reader().suppression("jane@example.com")).contains(s.get());
    }

    @ParameterizedTest
    @CsvSource({"SUSPEND, 2, 14", "MAILBOXFULL, 3, 14", "FILTERED, 2, 7"})
    void repeatCategoriesNeedTheirCountWithinTheWindow(Category category, int failures, int days) throws Exception {
        String to = "rep@example.com";
        Instant start = T0;
        // failures-1 strikes inside the window: not yet
        for (int i = 0; i < failures - 1; i++) {
            assertThat(ingest(permanent(to, start.plus(Duration.ofHours(i)), category))).isEmpty();
        }
        // the next one, just inside the window measured from the first: suppressed
        Instant last = start.plus(Duration.ofDays(days)).minusSeconds(1);
        Optional<Suppression> s = ingest(permanent(to, last, category));
        assertThat(s).isPresent();
        assertThat(s.get().failures()).isEqualTo(failures);
        assertThat(s.get().reason()).startsWith(category.wireName() + " (" + failures + " failures within " + days
                + " days):");
    }

    @ParameterizedTest
    @CsvSource({"SUSPEND, 2, 14", "MAILBOXFULL, 3, 14", "FILTERED, 2, 7"})
    void strikesOutsideTheWindowDoNotCount(Category category, int failures, int days) throws Exception {
        String to = "slow@example.com";
        for (int i = 0; i < failures - 1; i++) {
            assertThat(ingest(permanent(to, T0.plus(Duration.ofHours(i)), category))).isEmpty();
        }
        // the first strike is now just outside the window
        Instant late = T0.plus(Duration.ofDays(days)).plusSeconds(1);
        assertThat(ingest(permanent(to, late, category))).isEmpty();
        assertThat(store.reader().suppression(to)).isEmpty();
        // one more inside the (moved) window completes the count
        assertThat(ingest(permanent(to, late.plusSeconds(60), category))).isPresent();
    }

    @Test
    void strikesOfOtherCategoriesOrRecipientsOrTransientOnesDoNotCount() throws Exception {
        String to = "box@example.com";
        ingest(permanent(to, T0, Category.MAILBOXFULL));
        ingest(permanent("other@example.com", T0, Category.MAILBOXFULL));
        ingest(permanent(to, T0, Category.SUSPEND));
        ingest(Results.deferred(to, T0, Category.MAILBOXFULL, "4.2.2", "452 4.2.2 full"));
        assertThat(ingest(permanent("BOX@example.com", T0.plusSeconds(5), Category.MAILBOXFULL))).isEmpty();
        assertThat(ingest(permanent(to, T0.plusSeconds(10), Category.MAILBOXFULL))).isPresent();
    }

    @Test
    void failuresWithinOneBatchCount() throws Exception {
        List<Optional<Suppression>> decisions = store.write(tx -> {
            List<Optional<Suppression>> out = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                out.add(policy.decide(tx, tx.insertResult(permanent("b@example.com", T0.plusSeconds(i),
                        Category.MAILBOXFULL))));
            }
            return out;
        });
        assertThat(decisions).extracting(Optional::isPresent).containsExactly(false, false, true);
    }

    @ParameterizedTest
    @EnumSource(value = Category.class, names = {"BLOCKED", "BADREPUTATION", "SPAMDETECTED", "VIRUSDETECTED",
            "POLICYVIOLATION", "AUTHFAILURE", "REQUIREPTR", "REJECTED", "SECURITYERROR", "SPEEDING", "TOOMANYCONN",
            "NORELAYING", "FAILEDSTARTTLS", "NETWORKERROR", "EXPIRED", "SYSTEMERROR", "ONHOLD", "UNDEFINED"})
    void senderSideAndUnknownCategoriesNeverSuppressByDefault(Category category) throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(ingest(permanent("x@example.com", T0.plusSeconds(i), category))).isEmpty();
        }
        assertThat(store.reader().suppressionCount()).isZero();
    }

    @Test
    void neverWinsOverARuleEvenUnderAnAliasName() throws Exception {
        policy = SuppressionPolicy.from(new SuppressionConfig(true,
                Map.of("blocked", SuppressionConfig.Rule.atFirst(), "ratelimited", SuppressionConfig.Rule.atFirst(),
                        "userunknown", SuppressionConfig.Rule.atFirst()),
                Set.of("blocked", "RateLimited")));
        assertThat(ingest(permanent("a@example.com", T0, Category.BLOCKED))).isEmpty();
        assertThat(ingest(permanent("a@example.com", T0, Category.SPEEDING))).isEmpty();
        assertThat(ingest(permanent("a@example.com", T0, Category.USERUNKNOWN))).isPresent();
    }

    @Test
    void onlyPermanentBouncedOrExpiredResultsCount() throws Exception {
        assertThat(ingest(Results.deferred("t@example.com", T0, Category.USERUNKNOWN, "4.1.1",
                "450 4.1.1 unverified address"))).isEmpty();
        assertThat(ingest(Results.result("t@example.com", T0, DeliveryStatus.DELIVERED, Category.USERUNKNOWN,
                Severity.PERMANENT, "5.1.1", 550, "odd"))).isEmpty();
        assertThat(ingest(Results.result("t@example.com", T0, DeliveryStatus.BOUNCED, Category.USERUNKNOWN,
                Severity.TRANSIENT, "4.1.1", 450, "transient bounce"))).isEmpty();
        assertThat(store.reader().suppressionCount()).isZero();
        assertThat(ingest(Results.result("t@example.com", T0, DeliveryStatus.EXPIRED, Category.USERUNKNOWN,
                Severity.PERMANENT, "5.1.1", 550, "expired after 550"))).isPresent();
    }

    @Test
    void anAddressAlreadyOnTheListGetsNoNewEntry() throws Exception {
        Suppression manual = new Suppression("m@example.com", Suppression.ORIGIN_MANUAL, "by hand", null, T0, T0,
                null, null, null, null, 0);
        store.write(tx -> tx.suppress(manual));
        assertThat(ingest(permanent("M@example.com", T0.plusSeconds(1), Category.USERUNKNOWN))).isEmpty();
        assertThat(store.reader().suppression("m@example.com")).contains(manual);

        Suppression first = ingest(permanent("n@example.com", T0, Category.USERUNKNOWN)).orElseThrow();
        assertThat(ingest(permanent("n@example.com", T0.plusSeconds(1), Category.HOSTUNKNOWN))).isEmpty();
        assertThat(store.reader().suppression("n@example.com")).contains(first);
        assertThat(store.reader().suppressionCount()).isEqualTo(2);
    }

    @Test
    void disabledAddsNothingAndRecipientsThatAreNoAddressAreSkipped() throws Exception {
        SuppressionConfig d = SuppressionConfig.defaults();
        policy = SuppressionPolicy.from(new SuppressionConfig(false, d.rules(), d.never()));
        assertThat(ingest(permanent("a@example.com", T0, Category.USERUNKNOWN))).isEmpty();
        policy = SuppressionPolicy.from(d);
        assertThat(ingest(permanent("root", T0, Category.USERUNKNOWN))).isEmpty();
        assertThat(ingest(permanent("a b@example.com", T0, Category.USERUNKNOWN))).isEmpty();
        assertThat(store.reader().suppressionCount()).isZero();
    }

    @Test
    void theReasonSaysCategoryReplyAndRemoteHostOnOneBoundedLine() throws Exception {
        StoredResult r = Results.bounced("r@example.com", T0, Category.USERUNKNOWN, "5.1.1",
                "550 5.1.1 <r@example.com>: Recipient address rejected:\r\nUser unknown\u001b[31m in virtual table");
        Suppression s = ingest(r).orElseThrow();
        assertThat(s.reason()).isEqualTo("userunknown: 550 5.1.1 <r@example.com>: Recipient address rejected:"
                + " User unknown [31m in virtual table from mx.example.com");

        StoredResult huge = Results.bounced("h@example.com", T0, Category.USERUNKNOWN, "5.1.1",
                "550 5.1.1 " + "x".repeat(50_000));
        Suppression big = ingest(huge).orElseThrow();
        assertThat(big.reason()).hasSizeLessThanOrEqualTo(SuppressionPolicy.MAX_REASON).endsWith("… from mx.example.com");
        assertThat(big.diagnostic()).hasSizeLessThanOrEqualTo(SuppressionPolicy.MAX_DIAGNOSTIC);

        StoredResult noText = Results.result("q@example.com", T0, DeliveryStatus.BOUNCED, Category.HOSTUNKNOWN,
                Severity.PERMANENT, "5.4.4", null, null);
        assertThat(ingest(noText).orElseThrow().reason()).isEqualTo("hostunknown: 5.4.4 from mx.example.com");
    }

    @Test
    void defaultsHaveTheDocumentedRules() {
        SuppressionConfig d = SuppressionConfig.defaults();
        assertThat(d.enabled()).isTrue();
        assertThat(d.rules()).containsOnlyKeys("userunknown", "hostunknown", "hasmoved", "notaccept", "suspend",
                "mailboxfull", "filtered");
        assertThat(d.rules().get("mailboxfull")).isEqualTo(new SuppressionConfig.Rule(3, Duration.ofDays(14)));
        // every name in the defaults is a real category
        d.rules().keySet().forEach(c -> assertThat(Category.fromWireName(c)).as(c).isPresent());
        d.never().forEach(c -> assertThat(Category.fromWireName(c)).as(c).isPresent());
        assertThat(d.never()).doesNotContainAnyElementsOf(d.rules().keySet());
    }
}
