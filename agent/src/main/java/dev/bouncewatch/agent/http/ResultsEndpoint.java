package dev.bouncewatch.agent.http;

import com.sun.net.httpserver.HttpExchange;
import dev.bouncewatch.agent.store.ResultPage;
import dev.bouncewatch.agent.store.ResultQuery;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoreReader;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.testmta.http.ApiException;
import dev.bouncewatch.testmta.http.Exchanges;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * {@code GET /api/results}: stored results, newest first, one page at a time. The next page is asked
 * for with {@code before=<next>} and the same filters; {@code next} is null on the last page.
 */
final class ResultsEndpoint {

    static final int DEFAULT_LIMIT = 100;
    private static final int MAX_TEXT = 1000;
    private static final Set<String> PARAMETERS =
            Set.of("since", "until", "status", "category", "recipient", "domain", "limit", "before");

    private final StoreReader store;
    private final Clock clock;

    ResultsEndpoint(StoreReader store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void get(HttpExchange ex) throws IOException, ApiException {
        QueryParams q = QueryParams.of(ex, PARAMETERS);
        Instant now = clock.instant();
        ResultQuery query = new ResultQuery(q.time("since", now), q.time("until", now), q.statuses("status"),
                q.category("category"), bounded(q, "recipient"), bounded(q, "domain"), q.positiveLong("before"),
                q.integer("limit", DEFAULT_LIMIT, 1, ResultQuery.MAX_LIMIT));
        if (query.since() != null && query.until() != null && !query.since().isBefore(query.until())) {
            throw new ApiException(400, "since: must be before until (" + query.until() + "), was " + query.since());
        }
        ResultPage page;
        try {
            page = store.results(query);
        } catch (StoreException e) {
            throw new ApiException(503, "the store could not be read: " + e.getMessage());
        }
        Exchanges.sendJson(ex, 200, ApiJson.bytes(g -> {
            g.writeStartObject();
            g.writeNumberField("count", page.items().size());
            if (page.nextBeforeId() == null) {
                g.writeNullField("next");
            } else {
                g.writeNumberField("next", page.nextBeforeId());
            }
            g.writeArrayFieldStart("items");
            for (StoredResult r : page.items()) {
                ApiJson.result(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static String bounded(QueryParams q, String name) throws ApiException {
        String v = q.text(name);
        if (v != null && v.length() > MAX_TEXT) {
            throw new ApiException(400, name + ": longer than " + MAX_TEXT + " characters");
        }
        return v;
    }
}
