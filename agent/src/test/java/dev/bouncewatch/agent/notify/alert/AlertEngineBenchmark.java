package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.config.AlertsConfig;
import dev.bouncewatch.agent.notify.TestClock;
import dev.bouncewatch.agent.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Not a test: how long one evaluation takes over a busy hour. Run with
 * {@code java -cp <test classpath> dev.bouncewatch.agent.notify.alert.AlertEngineBenchmark [results]}.
 */
public final class AlertEngineBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path dir = Files.createTempDirectory("bw-bench");
        Instant t0 = Instant.parse("2026-11-28T13:00:00Z");
        TestClock clock = new TestClock(t0.plus(Duration.ofHours(1)));
        try (Store store = Store.open(dir.resolve("b.db"))) {
            long s = System.nanoTime();
            for (int batch = 0; batch < n / 10_000; batch++) {
                Traffic t = new Traffic();
                for (int d = 0; d < 10; d++) {
                    Instant from = t0.plusSeconds((long) batch * 3600 / (n / 10_000));
                    String domain = "d" + (batch * 10 + d) % 2000 + ".example";
                    t.add(850, from, 60, "news@example.com", domain, "mx." + domain + "[192.0.2.1]:25", Traffic.OK);
                    t.add(100, from, 60, "news@example.com", "gmail.com", Traffic.GMAIL_MX, Traffic.GMAIL_UNKNOWN);
                    t.add(50, from, 60, "news@example.com", "yahoo.com", Traffic.YAHOO_MX, Traffic.YAHOO_TSS04);
                }
                t.insertInto(store);
            }
            System.out.printf("inserted %,d results in %d ms%n", n, (System.nanoTime() - s) / 1_000_000);
            var rules = AlertEngine.rules(AlertsConfig.defaults(), HealthSignals.NONE);
            for (int round = 0; round < 2; round++) {
                try (var c = dev.bouncewatch.agent.notify.ReadOnlyDatabase.open(store.file())) {
                    ResultWindows w = new ResultWindows(c, clock.instant(), ProviderDirectory.builtIn());
                    long o = System.nanoTime();
                    w.outcomes(Duration.ofHours(1));
                    System.out.printf("  outcomes 1h: %d ms%n", (System.nanoTime() - o) / 1_000_000);
                    for (AlertRule r : rules) {
                        long e = System.nanoTime();
                        int found = r.evaluate(w).size();
                        System.out.printf("  %s: %d alerts, %d ms%n", r.ids(), found, (System.nanoTime() - e) / 1_000_000);
                    }
                }
            }
            AlertEngine engine = new AlertEngine(store, AlertsConfig.defaults(), List.of(), HealthSignals.NONE, "bench", clock, () -> { });
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofSeconds(30));
                long e = System.nanoTime();
                AlertEngine.Evaluation ev = engine.evaluate();
                System.out.printf("evaluation %d: %d ms, %d active%n", i, (System.nanoTime() - e) / 1_000_000, ev.active());
            }
        }
    }
}
