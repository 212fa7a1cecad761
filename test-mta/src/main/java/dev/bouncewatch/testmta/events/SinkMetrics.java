package dev.bouncewatch.testmta.events;

import dev.bouncewatch.testmta.server.TransactionEvent;
import dev.bouncewatch.testmta.server.TransactionListener;
import dev.bouncewatch.testmta.session.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Counts the sink's replies for Prometheus. Label sets stay bounded: stage is an enum, code is
 * 200..599, and rule ids, which come from user files that may be replaced at runtime, are capped
 * at {@link #MAX_RULES} distinct values; further ones are counted as {@code rule="_other"}.
 *
 * <p>Exposes {@code testmta_replies_total{stage,code,rule}} (rule "" for the default behaviour),
 * {@code testmta_sessions_total}, {@code testmta_closed_by_sink_total},
 * {@code testmta_active_connections}, {@code testmta_scenario_version} and
 * {@code testmta_events_dropped_total}.
 */
public final class SinkMetrics implements TransactionListener {

    public static final int MAX_RULES = 200;
    static final String OTHER_RULE = "_other";

    private record ReplyKey(Stage stage, int code, String rule) {
    }

    private final ConcurrentHashMap<ReplyKey, LongAdder> replies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> rules = new ConcurrentHashMap<>();
    private final LongAdder sessions = new LongAdder();
    private final LongAdder closedBySink = new LongAdder();
    private final IntSupplier activeConnections;
    private final LongSupplier scenarioVersion;
    private final LongSupplier droppedEvents;

    /**
     * @param activeConnections open SMTP connections now (the server's gauge)
     * @param scenarioVersion   version of the installed scenario
     * @param droppedEvents     events an output lost (e.g. {@link JsonLinesEventWriter#dropped()}); () -> 0 if none
     */
    public SinkMetrics(IntSupplier activeConnections, LongSupplier scenarioVersion, LongSupplier droppedEvents) {
        this.activeConnections = Objects.requireNonNull(activeConnections);
        this.scenarioVersion = Objects.requireNonNull(scenarioVersion);
        this.droppedEvents = Objects.requireNonNull(droppedEvents);
    }

    @Override
    public void onReply(TransactionEvent event) {
        Stage stage = event.stage() == null ? Stage.UNKNOWN : event.stage();
        if (stage == Stage.CONNECT) {
            sessions.increment(); // every session starts with exactly one greeting (or a refusal)
        }
        if (event.closed()) {
            closedBySink.increment();
        }
        int code = event.code() >= 200 && event.code() <= 599 ? event.code() : 0;
        replies.computeIfAbsent(new ReplyKey(stage, code, boundedRule(event.ruleId())), k -> new LongAdder())
                .increment();
    }

    private String boundedRule(String ruleId) {
        if (ruleId == null || ruleId.isEmpty()) {
            return "";
        }
        if (rules.containsKey(ruleId)) {
            return ruleId;
        }
        if (rules.size() >= MAX_RULES) {
            return OTHER_RULE;
        }
        rules.putIfAbsent(ruleId, Boolean.TRUE);
        return ruleId;
    }

    /** Replies counted for this stage and code, over all rules. */
    public long replies(Stage stage, int code) {
        return replies.entrySet().stream()
                .filter(e -> e.getKey().stage() == stage && e.getKey().code() == code)
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    /** The exposition text, content type {@link #CONTENT_TYPE}. */
    public String scrape() {
        PrometheusText t = new PrometheusText();
        t.family("testmta_replies_total", "counter", "Replies the sink gave, by stage, code and deciding rule.");
        List<Map.Entry<ReplyKey, LongAdder>> rows = new ArrayList<>(replies.entrySet());
        rows.sort(Comparator.comparing((Map.Entry<ReplyKey, LongAdder> e) -> e.getKey().stage())
                .thenComparingInt(e -> e.getKey().code())
                .thenComparing(e -> e.getKey().rule()));
        for (Map.Entry<ReplyKey, LongAdder> row : rows) {
            ReplyKey k = row.getKey();
            t.sample("testmta_replies_total", row.getValue().sum(), "stage", k.stage().configName(), "code",
                    Integer.toString(k.code()), "rule", k.rule());
        }
        t.family("testmta_sessions_total", "counter", "SMTP sessions started (greetings or refusals sent).");
        t.sample("testmta_sessions_total", sessions.sum());
        t.family("testmta_closed_by_sink_total", "counter", "Connections the sink closed or dropped itself.");
        t.sample("testmta_closed_by_sink_total", closedBySink.sum());
        t.family("testmta_active_connections", "gauge", "SMTP connections open now.");
        t.sample("testmta_active_connections", activeConnections.getAsInt());
        t.family("testmta_scenario_version", "gauge", "Version of the installed scenario; grows on each reload.");
        t.sample("testmta_scenario_version", scenarioVersion.getAsLong());
        t.family("testmta_events_dropped_total", "counter", "Transaction events lost because an output lagged.");
        t.sample("testmta_events_dropped_total", droppedEvents.getAsLong());
        return t.toString();
    }

    public static final String CONTENT_TYPE = PrometheusText.CONTENT_TYPE;
}
