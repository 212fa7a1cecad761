package dev.bouncewatch.testmta.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Collects transaction events from event-loop threads; tests poll it with a generous deadline. */
final class EventLog implements TransactionListener {

    final List<TransactionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onReply(TransactionEvent event) {
        events.add(event);
    }

    boolean await(Predicate<List<TransactionEvent>> condition) throws InterruptedException {
        return poll(() -> condition.test(events), Duration.ofSeconds(30));
    }

    static boolean poll(java.util.function.BooleanSupplier condition, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
