package dev.bouncewatch.testmta.scenario;

import static dev.bouncewatch.testmta.scenario.ScenarioTesting.load;
import static dev.bouncewatch.testmta.scenario.ScenarioTesting.replyOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.session.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StatefulActionsTest {

    private final ManualClock clock = new ManualClock();

    private static final String GREYLIST = """
            rules:
              - id: grey
                when: { stage: rcpt, rcpt_domain: partner.test }
                then: { greylist: { min_delay: 5m, retry_window: 4h, whitelist_ttl: 36d } }
              - id: after-grey
                when: { stage: rcpt, rcpt: "reject@*" }
                then: { reply: "550 5.1.1 gone" }
            """;

    private static FakeContext triplet(String client, String from, String to) {
        return FakeContext.rcpt(to).withClient(client).withMailFrom(from);
    }

    @Test
    void greylistDefersFirstAttemptAndPassesARetryAfterTheDelay() {
        RuleScenario s = load(GREYLIST, clock);
        FakeContext ctx = triplet("192.0.2.10", "news@sender.example", "bob@partner.test");

        Outcome first = s.decide(ctx);
        assertThat(first.ruleId()).isEqualTo("grey");
        assertThat(replyOf(first).code()).isEqualTo(451);
        assertThat(replyOf(first).enhancedCode()).isEqualTo("4.7.1");
        assertThat(replyOf(first).text()).contains("<bob@partner.test>", "Greylisted");

        clock.advance(Duration.ofMinutes(4));
        assertThat(s.decide(ctx).ruleId()).as("too early").isEqualTo("grey");

        clock.advance(Duration.ofMinutes(2));
        assertThat(s.decide(ctx)).as("passed: the rule does not apply").isSameAs(Outcome.PROCEED);

        clock.advance(Duration.ofDays(30));
        assertThat(s.decide(ctx)).as("still whitelisted").isSameAs(Outcome.PROCEED);
    }

    @Test
    void passedGreylistFallsThroughToLaterRules() {
        RuleScenario s = load(GREYLIST, clock);
        FakeContext ctx = triplet("192.0.2.10", "a@sender.example", "reject@partner.test");
        assertThat(s.decide(ctx).ruleId()).isEqualTo("grey");
        clock.advance(Duration.ofMinutes(6));
        assertThat(s.decide(ctx).ruleId()).isEqualTo("after-grey");
    }

    @Test
    void greylistTripletUsesTheClientSlash24() {
        RuleScenario s = load(GREYLIST, clock);
        s.decide(triplet("192.0.2.10", "a@sender.example", "bob@partner.test"));
        clock.advance(Duration.ofMinutes(6));
        // a retry from another host of the same /24 pool passes, as with Postgrey
        assertThat(s.decide(triplet("192.0.2.99", "a@sender.example", "bob@partner.test"))).isSameAs(Outcome.PROCEED);
        // another /24, another sender or another recipient is a new triplet
        assertThat(s.decide(triplet("192.0.3.10", "a@sender.example", "bob@partner.test")).ruleId()).isEqualTo("grey");
        assertThat(s.decide(triplet("192.0.2.10", "b@sender.example", "bob@partner.test")).ruleId()).isEqualTo("grey");
        assertThat(s.decide(triplet("192.0.2.10", "a@sender.example", "eve@partner.test")).ruleId()).isEqualTo("grey");
    }

    @Test
    void greylistRetryAfterTheWindowStartsOver() {
        RuleScenario s = load(GREYLIST, clock);
        FakeContext ctx = triplet("192.0.2.10", "a@sender.example", "bob@partner.test");
        s.decide(ctx);
        clock.advance(Duration.ofHours(5));
        assertThat(s.decide(ctx).ruleId()).as("window missed: grey again").isEqualTo("grey");
        clock.advance(Duration.ofMinutes(6));
        assertThat(s.decide(ctx)).isSameAs(Outcome.PROCEED);
    }

    @Test
    void greylistWhitelistExpires() {
        RuleScenario s = load(GREYLIST, clock);
        FakeContext ctx = triplet("192.0.2.10", "a@sender.example", "bob@partner.test");
        s.decide(ctx);
        clock.advance(Duration.ofMinutes(6));
        assertThat(s.decide(ctx)).isSameAs(Outcome.PROCEED);
        clock.advance(Duration.ofDays(37));
        assertThat(s.decide(ctx).ruleId()).isEqualTo("grey");
    }

    @Test
    void greylistWithConfiguredReply() {
        RuleScenario s = load("""
                rules:
                  - id: grey
                    when: { stage: rcpt }
                    then: { greylist: { reply: "@postgrey.greylisted" } }
                """, clock);
        var reply = replyOf(s.decide(triplet("192.0.2.1", "a@b.example", "c@d.example")));
        assertThat(reply.code()).isEqualTo(450);
        assertThat(reply.text()).isEqualTo("<c@d.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/d.example.html");
        clock.advance(GreylistAction.DEFAULT_MIN_DELAY);
        assertThat(s.decide(triplet("192.0.2.1", "a@b.example", "c@d.example"))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void resetStateForgetsGreylistTriplets() {
        RuleScenario s = load(GREYLIST, clock);
        FakeContext ctx = triplet("192.0.2.10", "a@sender.example", "bob@partner.test");
        s.decide(ctx);
        clock.advance(Duration.ofMinutes(6));
        assertThat(s.decide(ctx)).isSameAs(Outcome.PROCEED);
        assertThat(s.stateEntries()).isEqualTo(1);
        s.resetState();
        assertThat(s.stateEntries()).isZero();
        assertThat(s.decide(ctx).ruleId()).isEqualTo("grey");
    }

    private static final String RATE = """
            rules:
              - id: per-domain
                when: { stage: mail }
                then: { rate: { key: "{mail_from_domain}", rate: 2/s, burst: 3, reply: "421 4.7.28 slow down {mail_from_domain}" } }
            """;

    @Test
    void rateLimitAllowsTheBurstThenAnswersUntilTokensComeBack() {
        RuleScenario s = load(RATE, clock);
        FakeContext ctx = FakeContext.at(Stage.MAIL).withMailFrom("a@bulk.example");
        for (int i = 0; i < 3; i++) {
            assertThat(s.decide(ctx)).as("burst message %d", i).isSameAs(Outcome.PROCEED);
        }
        Outcome limited = s.decide(ctx);
        assertThat(limited.ruleId()).isEqualTo("per-domain");
        assertThat(replyOf(limited).text()).isEqualTo("slow down bulk.example");
        assertThat(((Outcome.Respond) limited).close()).as("421 closes").isTrue();

        clock.advance(Duration.ofMillis(499));
        assertThat(s.decide(ctx).ruleId()).as("not a whole token yet").isEqualTo("per-domain");
        clock.advance(Duration.ofMillis(2));
        assertThat(s.decide(ctx)).as("one token back after 500 ms at 2/s").isSameAs(Outcome.PROCEED);
        assertThat(s.decide(ctx).ruleId()).isEqualTo("per-domain");

        clock.advance(Duration.ofSeconds(60));
        for (int i = 0; i < 3; i++) {
            assertThat(s.decide(ctx)).as("bucket refilled only up to the burst").isSameAs(Outcome.PROCEED);
        }
        assertThat(s.decide(ctx).ruleId()).isEqualTo("per-domain");
    }

    @Test
    void rateLimitBucketsAreSeparatePerKey() {
        RuleScenario s = load(RATE, clock);
        FakeContext a = FakeContext.at(Stage.MAIL).withMailFrom("x@a.example");
        FakeContext b = FakeContext.at(Stage.MAIL).withMailFrom("x@b.example");
        for (int i = 0; i < 3; i++) {
            s.decide(a);
        }
        assertThat(s.decide(a).ruleId()).isEqualTo("per-domain");
        assertThat(s.decide(b)).isSameAs(Outcome.PROCEED);
    }

    @Test
    void rateLimitDefaultsToPerClientIpWithTheCatalogueReply() {
        RuleScenario s = load("""
                rules:
                  - id: r
                    when: { stage: rcpt }
                    then: { rate: { rate: 1/m } }
                """, clock);
        FakeContext ctx = FakeContext.rcpt("a@x.example").withClient("203.0.113.5");
        assertThat(s.decide(ctx)).isSameAs(Outcome.PROCEED);
        var reply = replyOf(s.decide(ctx));
        assertThat(reply.code()).isEqualTo(451);
        assertThat(reply.text()).isEqualTo("Error: too much mail from 203.0.113.5");
        assertThat(s.decide(ctx.withClient("203.0.113.6"))).isSameAs(Outcome.PROCEED);
    }

    private static final String SEQUENCE = """
            rules:
              - id: fail-twice
                when: { stage: rcpt, rcpt: "/^retry\\\\+/" }
                then: { sequence: { steps: ["451 4.3.0 Try again", "@gmail.over_quota", accept] } }
            """;

    @Test
    void sequenceFailsTwiceThenAcceptsAndKeepsAccepting() {
        RuleScenario s = load(SEQUENCE, clock);
        FakeContext ctx = FakeContext.rcpt("retry+1@example.org");
        assertThat(replyOf(s.decide(ctx)).text()).isEqualTo("Try again");
        assertThat(replyOf(s.decide(ctx)).code()).isEqualTo(452);
        for (int i = 0; i < 5; i++) {
            assertThat(s.decide(ctx)).isEqualTo(new Outcome.Proceed("fail-twice", Duration.ZERO, false));
        }
        // counters are per recipient by default
        assertThat(replyOf(s.decide(FakeContext.rcpt("retry+2@example.org"))).text()).isEqualTo("Try again");
    }

    @Test
    void sequenceCanCycleAndForgetsAfterTtl() {
        RuleScenario s = load("""
                rules:
                  - id: cycle
                    when: { stage: mail }
                    then:
                      sequence:
                        key: "{client_ip}"
                        after_last: cycle
                        ttl: 10m
                        steps: [accept, "421 4.7.0 go", { drop: rst }]
                """, clock);
        FakeContext ctx = FakeContext.at(Stage.MAIL);
        List<Class<?>> kinds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            kinds.add(s.decide(ctx).getClass());
        }
        assertThat(kinds).containsExactly(Outcome.Proceed.class, Outcome.Respond.class, Outcome.Drop.class,
                Outcome.Proceed.class, Outcome.Respond.class, Outcome.Drop.class);
        clock.advance(Duration.ofMinutes(11));
        s.decide(ctx); // step 1 again after the counter expired
        assertThat(s.decide(ctx)).isInstanceOf(Outcome.Respond.class);
    }

    @Test
    void resetStateRestartsSequences() {
        RuleScenario s = load(SEQUENCE, clock);
        FakeContext ctx = FakeContext.rcpt("retry+1@example.org");
        s.decide(ctx);
        s.decide(ctx);
        assertThat(s.decide(ctx)).isInstanceOf(Outcome.Proceed.class);
        s.resetState();
        assertThat(s.decide(ctx)).isInstanceOf(Outcome.Respond.class);
    }

    @Test
    void concurrentDecisionsCountEveryAttemptExactlyOnce() throws Exception {
        RuleScenario s = load("""
                rules:
                  - id: once
                    when: { stage: rcpt }
                    then: { sequence: { steps: [accept, "550 5.1.1 only once"] } }
                """, clock);
        int threads = 4;
        int perThread = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Integer> task = () -> {
                    int accepted = 0;
                    for (int i = 0; i < perThread; i++) {
                        if (s.decide(FakeContext.rcpt("user" + (i % 500) + "@example.org")) instanceof Outcome.Proceed) {
                            accepted++;
                        }
                    }
                    return accepted;
                };
                futures.add(pool.submit(task));
            }
            int accepted = 0;
            for (Future<Integer> f : futures) {
                accepted += f.get(60, TimeUnit.SECONDS);
            }
            // 500 distinct recipients: exactly one first attempt each, however the threads interleave
            assertThat(accepted).isEqualTo(500);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void storeIsBoundedAndExpires() {
        ExpiringStore<Integer> store = new ExpiringStore<>(100);
        long now = 1000;
        for (int i = 0; i < 1000; i++) {
            store.update("k" + i, now, old -> 1, v -> now + 60_000);
        }
        assertThat(store.size()).isLessThanOrEqualTo(100);
        assertThat(store.evictions()).isGreaterThanOrEqualTo(900);
        store.update("fresh", now, old -> 7, v -> now + 10);
        assertThat(store.get("fresh", now)).isEqualTo(7);
        assertThat(store.get("fresh", now + 10)).as("expired at its expiry time").isNull();
        Integer seen = store.update("fresh", now + 20, old -> old == null ? -1 : old, v -> now + 100);
        assertThat(seen).as("an expired value is not handed to the update").isEqualTo(-1);
    }

    @Test
    void sweepRemovesExpiredEntriesBeforeEvictingLiveOnes() {
        ExpiringStore<Integer> store = new ExpiringStore<>(10);
        for (int i = 0; i < 10; i++) {
            store.update("old" + i, 0, old -> 1, v -> 5L);
        }
        store.update("live", 100, old -> 2, v -> 1_000L);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.evictions()).isZero();
        assertThat(store.get("live", 100)).isEqualTo(2);
    }
}
