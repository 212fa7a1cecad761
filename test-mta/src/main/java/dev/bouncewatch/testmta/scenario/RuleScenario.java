package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.session.ProtocolOptions;
import dev.bouncewatch.testmta.session.Stage;
import dev.bouncewatch.testmta.session.TransactionContext;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A scenario loaded from a file: ordered rules (first that decides wins), then magic addresses at
 * RCPT, then the protocol's normal answer. Magic addresses come after the rules so that a rule can
 * override them, e.g. to greylist {@code 550@partner.test} before it bounces.
 */
public final class RuleScenario implements Scenario {

    /** Rule id carried by outcomes that magic addresses decided. */
    public static final String MAGIC_RULE_ID = "magic-address";

    private final ProtocolOptions protocol;
    private final long seed;
    private final List<Rule> rules;
    private final MagicAddresses magic;
    private final InstantSource clock;
    private final String source;
    private final LongAdder magicHits = new LongAdder();

    RuleScenario(ProtocolOptions protocol, long seed, List<Rule> rules, MagicAddresses magic, InstantSource clock,
                 String source) {
        this.protocol = protocol;
        this.seed = seed;
        this.rules = List.copyOf(rules);
        this.magic = magic;
        this.clock = clock;
        this.source = source;
    }

    @Override
    public ProtocolOptions protocol() {
        return protocol;
    }

    @Override
    public Outcome decide(TransactionContext context) {
        Evaluation ev = new Evaluation(context, protocol.hostname());
        long now = clock.millis();
        Outcome delayOnly = null; // delay-only rules add up and let evaluation go on
        for (Rule rule : rules) {
            Outcome outcome = rule.decide(ev, now);
            if (outcome == null) {
                continue;
            }
            if (rule.action() instanceof DelayAction) {
                delayOnly = delayOnly == null ? outcome
                        : new Outcome.Proceed(delayOnly.ruleId(), delayOnly.delay().plus(outcome.delay()), false);
                continue;
            }
            return later(outcome, delayOnly);
        }
        if (protocol.magicAddresses() && context.stage() == Stage.RCPT && context.rcpt() != null) {
            ev.startRule();
            Outcome outcome = magic.decide(ev, MAGIC_RULE_ID);
            if (outcome != null) {
                magicHits.increment();
                return later(outcome, delayOnly);
            }
        }
        return delayOnly == null ? Outcome.PROCEED : delayOnly;
    }

    /** The deciding outcome, with the delays of the delay-only rules before it added. */
    private static Outcome later(Outcome outcome, Outcome delayOnly) {
        if (delayOnly == null || delayOnly.delay().isZero()) {
            return outcome;
        }
        Duration delay = outcome.delay().plus(delayOnly.delay());
        if (outcome instanceof Outcome.Proceed p) {
            return new Outcome.Proceed(p.ruleId(), delay, p.discard());
        }
        if (outcome instanceof Outcome.Respond r) {
            return new Outcome.Respond(r.ruleId(), delay, r.reply(), r.close());
        }
        Outcome.Drop d = (Outcome.Drop) outcome;
        return new Outcome.Drop(d.ruleId(), delay, d.mode(), d.afterDataBytes());
    }

    @Override
    public void resetState() {
        for (Rule rule : rules) {
            rule.action().stores().forEach(ExpiringStore::clear);
        }
    }

    public long seed() {
        return seed;
    }

    /** Where the scenario came from: a file name, "request body", "built-in defaults". */
    public String source() {
        return source;
    }

    List<Rule> rules() {
        return rules;
    }

    long magicHits() {
        return magicHits.sum();
    }

    /** Entries held in greylist, rate and sequence stores, for the API and tests. */
    public int stateEntries() {
        int n = 0;
        for (Rule rule : rules) {
            for (ExpiringStore<?> s : rule.action().stores()) {
                n += s.size();
            }
        }
        return n;
    }

    /** Rule ids in evaluation order. */
    public List<String> ruleIds() {
        List<String> ids = new ArrayList<>();
        rules.forEach(r -> ids.add(r.id()));
        return ids;
    }
}
