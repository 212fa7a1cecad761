package dev.bouncewatch.agent.source;

import dev.bouncewatch.agent.config.SourceConfig;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.testmta.scenario.Scenario;
import dev.bouncewatch.testmta.scenario.ScenarioException;
import dev.bouncewatch.testmta.scenario.ScenarioHolder;
import dev.bouncewatch.testmta.scenario.ScenarioLoader;
import dev.bouncewatch.testmta.scenario.Scenarios;
import dev.bouncewatch.testmta.server.ServerSettings;
import dev.bouncewatch.testmta.server.SinkServer;
import dev.bouncewatch.testmta.server.TransactionEvent;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded test-mta sink (for staging hosts): listens in-process, answers as its scenario says,
 * and every reply that decides a delivery becomes a result ({@link SinkResults}). Replies come on
 * Netty's event loops, which must never block: results go into a bounded queue that a thread of this
 * source drains to the listener; when the queue is full (the pipeline stalled) a result is dropped and
 * counted as an error rather than stalling SMTP sessions. Results carry no position: the sink has
 * nothing to resume, and a reply given while the agent was down was never a result.
 *
 * <p>If the address cannot be bound (another program listens there), the source is FAILING and
 * retries with back-off; the agent's other sources are unaffected.
 */
public final class SinkSource implements Source {

    private static final Logger LOG = LoggerFactory.getLogger(SinkSource.class);

    /**
     * Limits, overridable by tests.
     *
     * @param queueCapacity results waiting for the listener before new ones are dropped
     * @param maxBatch      most results per batch
     * @param backoff       retries of a failed bind
     * @param clock         for the health page
     */
    record Settings(int queueCapacity, int maxBatch, Backoff.Settings backoff, Clock clock) {

        static final Settings DEFAULTS = new Settings(10_000, 512, Backoff.DEFAULTS, Clock.systemUTC());

        Settings {
            if (queueCapacity < 1 || maxBatch < 1) {
                throw new IllegalArgumentException("queueCapacity and maxBatch must be positive");
            }
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(clock, "clock");
        }
    }

    /** How long the drain thread waits for a result before it looks whether the source is closing. */
    private static final long POLL_MILLIS = 200;

    private final SourceConfig.Sink config;
    private final Settings settings;
    private final String id;
    private final ScenarioHolder scenarios;
    private final SinkResults results;
    private final HealthTracker health;
    private final BlockingQueue<DeliveryResult> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unattributed = new AtomicLong();
    private final Object lock = new Object();
    private boolean closed; // guarded by lock
    private SinkServer server; // guarded by lock
    private Thread worker; // guarded by lock
    private volatile boolean stopping;

    /**
     * Reads the scenario now, so a bad file stops the agent at start with its problems listed.
     *
     * @throws IllegalArgumentException when the scenario file cannot be read or is invalid (the
     *                                  message names file, line, column and key)
     */
    public SinkSource(SourceConfig.Sink config) {
        this(config, Settings.DEFAULTS);
    }

    SinkSource(SourceConfig.Sink config, Settings settings) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(config.listen(), "listen");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scenarios = loadScenario(config);
        this.id = "sink:" + address(config.listen());
        String ip = config.listen().getAddress() == null || config.listen().getAddress().isAnyLocalAddress()
                ? null : config.listen().getAddress().getHostAddress();
        this.results = new SinkResults(scenarios.scenario().protocol().hostname(), ip);
        this.health = new HealthTracker(id, "sink", address(config.listen()), settings.clock());
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    }

    private static ScenarioHolder loadScenario(SourceConfig.Sink config) {
        if (config.scenario() == null) {
            Scenario defaults = Scenarios.defaults();
            return new ScenarioHolder(defaults, null);
        }
        try {
            String text = ScenarioLoader.readText(config.scenario());
            return new ScenarioHolder(new ScenarioLoader().load(text, config.scenario().toString()), text);
        } catch (ScenarioException e) {
            throw new IllegalArgumentException("sink scenario " + config.scenario() + ":\n" + e.getMessage(), e);
        }
    }

    private static String address(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public String id() {
        return id;
    }

    /** The address the sink listens on (port 0 resolved), or null while it is not listening. */
    public InetSocketAddress boundAddress() {
        synchronized (lock) {
            return server == null ? null : server.address();
        }
    }

    @Override
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (lock) {
                if (server != null) {
                    return true;
                }
                if (closed) {
                    return false;
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
    }

    /** Results dropped because the queue to the listener was full. */
    public long droppedResults() {
        return dropped.get();
    }

    /** Refusals that decide a delivery but name no recipient (greeting, EHLO, MAIL ...): not results. */
    public long unattributedRefusals() {
        return unattributed.get();
    }

    /** @param storedPosition ignored: the sink has nothing to resume */
    @Override
    public void start(String storedPosition, SourceListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            if (worker != null || closed) {
                throw new IllegalStateException(id + " was already started");
            }
            worker = new Thread(() -> run(listener), "bouncewatch-" + id);
            worker.setDaemon(true);
            worker.start();
        }
    }

    @Override
    public SourceHealth health() {
        return health.snapshot();
    }

    @Override
    public void close() {
        SinkServer s;
        Thread t;
        synchronized (lock) {
            closed = true;
            s = server;
            server = null;
            t = worker;
        }
        if (s != null) {
            s.close(); // no reply, and so no result, after this
        }
        stopping = true; // the worker hands over what is queued, then ends
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
                if (t.isAlive()) {
                    t.interrupt(); // the listener does not take results: give up on them
                    t.join(TimeUnit.SECONDS.toMillis(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        health.state(SourceHealth.State.STOPPED);
    }

    private void run(SourceListener listener) {
        try {
            if (listen()) {
                drain(listener);
            }
        } catch (InterruptedException e) {
            // close() gave up waiting
        }
    }

    /** Binds, retrying with back-off; false when closed first. */
    private boolean listen() throws InterruptedException {
        Backoff backoff = new Backoff(settings.backoff());
        ServerSettings serverSettings = new ServerSettings(config.listen(), null, null, null, 1);
        while (true) {
            synchronized (lock) {
                if (closed) {
                    return false;
                }
                try {
                    server = SinkServer.start(serverSettings, scenarios, this::onReply);
                    health.state(SourceHealth.State.RUNNING);
                    LOG.info("{}: embedded sink listening on {} ({})", id, server.address(),
                            config.scenario() == null ? "built-in defaults, magic addresses" : config.scenario());
                    return true;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    health.fail(SourceHealth.State.FAILING, "cannot listen on " + address(config.listen()) + ": " + e);
                }
            }
            Duration delay = backoff.delayAfter(Duration.ZERO);
            LOG.warn("{}: {}; retrying in {} ms", id, health.snapshot().lastError(), delay.toMillis());
            Thread.sleep(delay.toMillis());
        }
    }

    /** On a Netty event loop: never blocks. */
    private void onReply(TransactionEvent event) {
        List<DeliveryResult> decided = results.of(event);
        if (decided.isEmpty()) {
            if (SinkResults.isUnattributedRefusal(event)) {
                unattributed.incrementAndGet();
            }
            return;
        }
        for (DeliveryResult r : decided) {
            if (!queue.offer(r)) {
                long n = dropped.incrementAndGet();
                health.error("result queue full (" + settings.queueCapacity() + "): " + n + " results dropped");
                if (n == 1 || Long.bitCount(n) == 1) { // 1, 2, 4, 8 ...: visible without flooding the log
                    LOG.warn("{}: result queue full, {} results dropped so far", id, n);
                }
            }
        }
    }

    private void drain(SourceListener listener) throws InterruptedException {
        List<DeliveryResult> batch = new ArrayList<>();
        while (true) {
            DeliveryResult first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (first == null) {
                if (stopping) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, settings.maxBatch() - 1);
            try {
                listener.onBatch(SourceBatch.ofResults(id, batch));
                health.read(batch.size());
            } catch (RuntimeException e) {
                // a pipeline bug must not end the source silently; these results are lost, later ones not
                LOG.error("{}: the listener failed; {} results lost", id, batch.size(), e);
                health.error("the listener failed: " + e);
            }
            batch = new ArrayList<>();
        }
    }
}
