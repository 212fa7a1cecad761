package dev.bouncewatch.testmta.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A scripted series of outcomes per key: the n-th time the rule matches for a key it takes step n,
 * e.g. "451, 451, accept" so a sender's retries eventually succeed (what the Mailpit PR #405
 * review asked for). After the last step it repeats the last step ({@code after_last: repeat},
 * the default, so "fail twice then accept" keeps accepting) or starts over ({@code cycle}).
 * A key's counter is forgotten {@code ttl} after its last use.
 */
final class SequenceAction implements Action {

    enum AfterLast { REPEAT, CYCLE }

    private record Counter(long count) {
    }

    private final Template key;
    private final List<Action> steps;
    private final AfterLast afterLast;
    private final Duration ttl;
    private final ExpiringStore<Counter> counters;

    SequenceAction(Template key, List<Action> steps, AfterLast afterLast, Duration ttl, int capacity) {
        this.key = key;
        this.steps = List.copyOf(steps);
        this.afterLast = afterLast;
        this.ttl = ttl;
        this.counters = new ExpiringStore<>(capacity);
    }

    @Override
    public Outcome decide(Evaluation ev, String ruleId, Duration delay, long now) {
        Counter c = counters.update(key.render(ev::variable), now,
                old -> new Counter(old == null ? 1 : old.count() + 1), v -> now + ttl.toMillis());
        long index = c.count() - 1;
        int step = index < steps.size() ? (int) index
                : afterLast == AfterLast.CYCLE ? (int) (index % steps.size()) : steps.size() - 1;
        return steps.get(step).decide(ev, ruleId, delay, now);
    }

    @Override
    public String describe() {
        return "sequence per '" + key.source() + "': " + steps.stream().map(Action::describe).collect(Collectors.joining(" -> "))
                + " (then " + afterLast.name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public List<ExpiringStore<?>> stores() {
        return List.of(counters);
    }
}
