package dev.bouncewatch.agent.store;

import static dev.bouncewatch.agent.store.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.classify.Category;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 5, unit = TimeUnit.MINUTES) // safety net only
class ConcurrencyTest {

    private static final int BATCH = 50;

    @TempDir
    Path dir;

    @Test
    void readersSeeWholeBatchesOnlyAndNeverFailWhileTheWriterCommits() throws Exception {
        int batches = 150;
        ExecutorService pool = Executors.newFixedThreadPool(5);
        AtomicBoolean writing = new AtomicBoolean(true);
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        try (Store store = Store.open(dir.resolve("c.db"))) {
            Future<?> writer = pool.submit(() -> {
                try {
                    for (int b = 1; b <= batches; b++) {
                        int batch = b;
                        store.write(tx -> {
                            for (int i = 0; i < BATCH; i++) {
                                tx.insertResult(i % 3 == 0
                                        ? Results.bounced("u" + i + "@d" + batch % 7 + ".com", T0.plusSeconds(batch),
                                        Category.USERUNKNOWN, "5.1.1", "550 no")
                                        : Results.delivered("u" + i + "@d" + batch % 7 + ".com", T0.plusSeconds(batch)));
                            }
                            tx.saveCheckpoint("src", Integer.toString(batch));
                            return null;
                        });
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                int kind = r;
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    long lastCount = 0;
                    while (writing.get() || reads < 5) {
                        switch (kind) {
                            case 0, 1 -> {
                                long count = store.reader().size().results();
                                if (count % BATCH != 0) {
                                    violations.add("saw a partial batch: " + count);
                                }
                                if (count < lastCount) {
                                    violations.add("count went back from " + lastCount + " to " + count);
                                }
                                lastCount = count;
                            }
                            case 2 -> {
                                Stats s = store.reader().stats(T0, T0.plusSeconds(batches + 1), Duration.ofSeconds(10),
                                        10);
                                if (s.total() % BATCH != 0) {
                                    violations.add("stats saw a partial batch: " + s.total());
                                }
                            }
                            default -> {
                                ResultPage page = store.reader().results(ResultQuery.latest(100));
                                store.reader().checkpoint("src");
                                if (page.items().size() % BATCH != 0 && page.items().size() != 100) {
                                    violations.add("page of " + page.items().size());
                                }
                            }
                        }
                        reads++;
                    }
                    return reads;
                }));
            }
            writer.get(4, TimeUnit.MINUTES);
            for (Future<Integer> r : readers) {
                assertThat(r.get(1, TimeUnit.MINUTES)).isPositive();
            }
            assertThat(violations).isEmpty();
            assertThat(store.reader().size().results()).isEqualTo((long) batches * BATCH);
            assertThat(store.reader().checkpoint("src")).contains(Integer.toString(batches));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writersOnManyThreadsAreSerialised() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Store store = Store.open(dir.resolve("w.db"))) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    for (int b = 0; b < 40; b++) {
                        store.write(tx -> {
                            for (int i = 0; i < 10; i++) {
                                tx.insertResult(Results.delivered("t" + thread + "@a.com", T0));
                            }
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(4, TimeUnit.MINUTES);
            }
            assertThat(store.reader().size().results()).isEqualTo(4 * 40 * 10);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoStoresOnOneFileLikeTheAgentAndACliCommandTakeTurns() throws Exception {
        Path file = dir.resolve("two.db");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Store agent = Store.open(file); Store cli = Store.open(file)) {
            List<Future<?>> fs = new ArrayList<>();
            for (Store s : List.of(agent, cli)) {
                fs.add(pool.submit(() -> {
                    for (int b = 0; b < 60; b++) {
                        s.write(tx -> {
                            for (int i = 0; i < 20; i++) {
                                tx.insertResult(Results.delivered("x@a.com", T0));
                            }
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(4, TimeUnit.MINUTES);
            }
            assertThat(agent.reader().size().results()).isEqualTo(2 * 60 * 20);
        } finally {
            pool.shutdownNow();
        }
    }
}
