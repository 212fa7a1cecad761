package dev.bouncewatch.testmta.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import dev.bouncewatch.testmta.events.RecentTransactions;
import dev.bouncewatch.testmta.events.TransactionEventJson;
import dev.bouncewatch.testmta.events.TransactionFilter;
import dev.bouncewatch.testmta.server.TransactionEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /transactions}: recent events, newest first, filtered by query parameters. */
final class TransactionsEndpoint {

    static final int DEFAULT_LIMIT = 100;
    private static final Set<String> PARAMETERS = Set.of("limit", "session", "stage", "code");

    private final RecentTransactions recent;

    TransactionsEndpoint(RecentTransactions recent) {
        this.recent = recent;
    }

    void get(HttpExchange ex) throws IOException, ApiException {
        Map<String, String> q = Exchanges.query(ex);
        for (String name : q.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new ApiException(400, "unknown parameter '" + name + "'; expected limit, session, stage or code");
            }
        }
        int limit = limit(q.get("limit"));
        TransactionFilter filter;
        try {
            filter = TransactionFilter.parse(q.get("session"), q.get("stage"), q.get("code"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        List<TransactionEvent> events = recent.newest(limit, filter);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + events.size() * 300);
        try (JsonGenerator g = Exchanges.JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("count", events.size());
            g.writeNumberField("seen", recent.total());
            g.writeArrayFieldStart("transactions");
            for (TransactionEvent e : events) {
                TransactionEventJson.write(g, e);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        Exchanges.sendJson(ex, 200, out.toByteArray());
    }

    private int limit(String text) throws ApiException {
        if (text == null || text.isEmpty()) {
            return Math.min(DEFAULT_LIMIT, recent.capacity());
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= recent.capacity()) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new ApiException(400, "limit: expected a number from 1 to " + recent.capacity() + ", got '" + text + "'");
    }
}
