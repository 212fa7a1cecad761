package dev.bouncewatch.agent.run;

import dev.bouncewatch.agent.classify.Classifier;
import dev.bouncewatch.agent.config.AgentConfig;
import dev.bouncewatch.agent.http.AgentMetrics;
import dev.bouncewatch.agent.http.AgentStatus;
import dev.bouncewatch.agent.http.HttpApi;
import dev.bouncewatch.agent.http.SuppressionEditor;
import dev.bouncewatch.agent.notify.Notifier;
import dev.bouncewatch.agent.parse.LogParser;
import dev.bouncewatch.agent.parse.ParserSettings;
import dev.bouncewatch.agent.source.Source;
import dev.bouncewatch.agent.source.SourceFactory;
import dev.bouncewatch.agent.store.RetentionPruner;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.Suppression;
import dev.bouncewatch.agent.suppress.SuppressionList;
import dev.bouncewatch.agent.suppress.SuppressionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: store, pipeline, notifier, sources, HTTP, retention, wired from one config.
 * Starts in data-flow order (the store first, the sources last, so nothing is read before it can be
 * kept) and stops in reverse (sources first, so the pipeline can commit what they handed over).
 */
public final class Agent implements AgentStatus, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final int QUEUE_BATCHES = 64;

    private final AgentConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private Store store;
    private Pipeline pipeline;
    private Notifier notifier = Notifier.NONE;
    private List<Source> sources = List.of();
    private HttpApi http;
    private ScheduledExecutorService scheduler;
    private volatile boolean closed;

    private Agent(AgentConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /**
     * Starts everything; on failure closes what was started and throws.
     *
     * @param notifierFactory builds the notifier once the store is open (issue 5); the console
     *                        notifier by default
     */
    public static Agent start(AgentConfig config, Function<Store, Notifier> notifierFactory, Clock clock)
            throws IOException {
        Agent agent = new Agent(config, clock);
        try {
            agent.startAll(notifierFactory);
            return agent;
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void startAll(Function<Store, Notifier> notifierFactory) throws IOException {
        Files.createDirectories(config.stateDir());
        store = Store.open(config.databaseFile());
        Classifier classifier = Classifier.load(config.ruleFiles());
        SuppressionDecider decider = config.suppression().enabled()
                ? SuppressionPolicy.from(config.suppression())::decide
                : SuppressionDecider.NEVER;
        AgentMetrics metrics = new AgentMetrics();
        notifier = notifierFactory.apply(store);
        pipeline = new Pipeline(store, classifier, decider, notifier, committed -> {
            metrics.recordResults(committed.results());
            metrics.recordSuppressions(committed.newSuppressions().size());
            for (Suppression s : committed.newSuppressions()) {
                LOG.info("suppressed {}: {}", s.address(), s.reason());
            }
        }, clock, QUEUE_BATCHES);
        pipeline.start();
        notifier.start();

        SourceFactory.Created created = SourceFactory.forThisHost().createAll(config.sources());
        created.notes().forEach(note -> LOG.info("sources: {}", note));
        sources = created.sources();
        if (sources.isEmpty()) {
            LOG.warn("no source to read: no mail log found and no journal; the API still serves what is stored");
        }
        for (Source source : sources) {
            LogParser parser = new LogParser(ParserSettings.defaults().withMta(source.format()),
                    dev.bouncewatch.agent.parse.Correlator.withDefaults(), reject -> { });
            String position = store.reader().checkpoint(source.id()).orElse(null);
            source.start(position, pipeline.register(source, parser));
            LOG.info("reading {}{}", source.id(), position == null ? " (first start)" : " from its checkpoint");
        }

        for (Source source : sources) {
            try {
                if (!source.awaitStarted(java.time.Duration.ofSeconds(30))) {
                    LOG.warn("{} is not up after 30 s: {}", source.id(), source.health().lastError());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting " + source.id(), e);
            }
        }

        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bouncewatch-retention");
            t.setDaemon(true);
            return t;
        });
        new RetentionPruner(store, config.retention(), clock).start(scheduler);

        if (config.http().enabled()) {
            SuppressionList list = new SuppressionList(store);
            SuppressionEditor editor = new SuppressionEditor() {
                @Override
                public Suppression add(String address, String reason) throws StoreException {
                    return list.add(address, reason);
                }

                @Override
                public boolean remove(String address) throws StoreException {
                    return list.remove(address);
                }
            };
            http = HttpApi.start(config.http(), store.reader(), editor, this, metrics, clock);
            LOG.info("HTTP API on http://{}", http.address().getHostString() + ":" + http.port());
        }
    }

    /** For the systemd watchdog: the writer is alive (a wedged agent gets restarted). */
    public boolean healthy() {
        return !closed && pipeline != null && pipeline.isRunning();
    }

    /** The HTTP API's port, or -1 when it is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public Store store() {
        return store;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public List<SourceStatus> sources() {
        return pipeline == null ? List.of() : pipeline.sourceStatuses();
    }

    @Override
    public Map<String, Long> notifierQueue() {
        return notifier instanceof QueueReporting q ? q.pendingByDestination() : Map.of();
    }

    /** Implemented by notifiers that can tell what waits in the outbox. */
    public interface QueueReporting {
        Map<String, Long> pendingByDestination();
    }

    /**
     * Graceful stop: no more reading, commit what was read, stop sending (pending notifications stay
     * in the outbox), close the database.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Source s : sources) {
            quietly("source " + s.id(), s::close);
        }
        if (pipeline != null) {
            quietly("pipeline", pipeline::close);
        }
        quietly("notifier", notifier::close);
        if (http != null) {
            quietly("HTTP API", http::close);
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (store != null) {
            quietly("store", store::close);
        }
    }

    private static void quietly(String what, ThrowingRunnable action) {
        try {
            action.run();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", what, e.toString());
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
