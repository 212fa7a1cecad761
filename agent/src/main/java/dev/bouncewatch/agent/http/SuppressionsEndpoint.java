package dev.bouncewatch.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoreReader;
import dev.bouncewatch.agent.store.Suppression;
import dev.bouncewatch.agent.suppress.EmailAddress;
import dev.bouncewatch.agent.suppress.SuppressionCsv;
import dev.bouncewatch.testmta.http.ApiException;
import dev.bouncewatch.testmta.http.Exchanges;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The suppression list: {@code GET /api/suppressions[?format=json|csv|text&q=&limit=&offset=]},
 * {@code GET|DELETE /api/suppressions/{address}} and {@code POST /api/suppressions} with JSON
 * ({@code {"address", "reason"}} or an array of them) or a text list, one address a line. A list is
 * checked whole before anything is written: one bad line refuses the request and names the line.
 */
final class SuppressionsEndpoint {

    static final String PATH = "/api/suppressions";
    static final int DEFAULT_JSON_LIMIT = 100;
    static final int MAX_JSON_LIMIT = 1000;
    /** Exports read the list in pages of this size. */
    static final int EXPORT_PAGE = 10_000;
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    static final int MAX_ADDRESSES = 100_000;
    static final int MAX_REASON = 500;
    static final String DEFAULT_REASON = "added by hand through the API";
    private static final int MAX_QUERY = 254;
    private static final Set<String> LIST_PARAMETERS = Set.of("format", "q", "limit", "offset");
    private static final Set<String> POST_PARAMETERS = Set.of("reason");
    private static final Set<String> FORMATS = Set.of("json", "csv", "text");

    private final StoreReader store;
    private final SuppressionEditor editor;

    SuppressionsEndpoint(StoreReader store, SuppressionEditor editor) {
        this.store = store;
        this.editor = editor;
    }

    void list(HttpExchange ex) throws IOException, ApiException {
        QueryParams q = QueryParams.of(ex, LIST_PARAMETERS);
        String format = q.choice("format", "json", FORMATS);
        String contains = q.text("q");
        if (contains != null && contains.length() > MAX_QUERY) {
            throw new ApiException(400, "q: longer than " + MAX_QUERY + " characters");
        }
        contains = contains == null ? null : contains.toLowerCase(Locale.ROOT);
        int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
        if (format.equals("json")) {
            listJson(ex, contains, q.integer("limit", DEFAULT_JSON_LIMIT, 1, MAX_JSON_LIMIT), offset);
        } else {
            export(ex, format, contains, q.integer("limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE), offset);
        }
    }

    private void listJson(HttpExchange ex, String contains, int limit, int offset) throws IOException, ApiException {
        List<Suppression> items;
        long total;
        try {
            items = store.suppressions(contains, limit, offset);
            total = store.suppressionCount();
        } catch (StoreException e) {
            throw unreadable(e);
        }
        Exchanges.sendJson(ex, 200, ApiJson.bytes(g -> {
            g.writeStartObject();
            g.writeNumberField("total", total);
            g.writeNumberField("count", items.size());
            g.writeNumberField("offset", offset);
            g.writeNumberField("limit", limit);
            if (items.size() < limit) {
                g.writeNullField("next");
            } else {
                g.writeNumberField("next", (long) offset + items.size());
            }
            g.writeArrayFieldStart("items");
            for (Suppression s : items) {
                ApiJson.suppression(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    /**
     * CSV or a plain list, streamed page by page so a list of millions needs no more memory than a
     * page. The first page is read before the headers go out, so a broken store is still a 503. CSV is
     * the list's one format ({@link SuppressionCsv}, as {@code bouncewatch} exports it), in this order.
     */
    private void export(HttpExchange ex, String format, String contains, int limit, int offset)
            throws IOException, ApiException {
        boolean csv = format.equals("csv");
        List<Suppression> page;
        try {
            page = store.suppressions(contains, Math.min(EXPORT_PAGE, limit), offset);
        } catch (StoreException e) {
            throw unreadable(e);
        }
        ex.getResponseHeaders().set("Content-Type", csv ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Content-Disposition",
                "attachment; filename=\"suppressions." + (csv ? "csv" : "txt") + "\"");
        ex.sendResponseHeaders(200, 0);
        try (Writer out = new BufferedWriter(new OutputStreamWriter(ex.getResponseBody(), StandardCharsets.UTF_8))) {
            SuppressionCsv rows = new SuppressionCsv(out);
            if (csv) {
                rows.header();
            }
            int written = 0;
            while (true) {
                for (Suppression s : page) {
                    if (csv) {
                        rows.row(s);
                    } else {
                        out.write(printable(s.address()));
                        out.write('\n');
                    }
                }
                written += page.size();
                if (page.size() < EXPORT_PAGE || written >= limit) {
                    break;
                }
                try {
                    page = store.suppressions(contains, Math.min(EXPORT_PAGE, limit - written), offset + written);
                } catch (StoreException e) {
                    // the status line is out; cutting the stream short is the only signal left
                    throw new IOException("suppression export aborted after " + written + " rows: " + e.getMessage(), e);
                }
            }
        }
    }

    void get(HttpExchange ex, String rawAddress) throws IOException, ApiException {
        QueryParams.of(ex, Set.of());
        String address = pathAddress(rawAddress);
        Suppression s;
        try {
            s = store.suppression(address).orElseThrow(() -> notListed(address));
        } catch (StoreException e) {
            throw unreadable(e);
        }
        Exchanges.sendJson(ex, 200, ApiJson.bytes(g -> ApiJson.suppression(g, s)));
    }

    void delete(HttpExchange ex, String rawAddress) throws IOException, ApiException {
        QueryParams.of(ex, Set.of());
        String address = pathAddress(rawAddress);
        boolean removed;
        try {
            removed = editor.remove(address);
        } catch (StoreException e) {
            throw unwritable(e);
        }
        if (!removed) {
            throw notListed(address);
        }
        Exchanges.sendJson(ex, 200, Exchanges.JSON.createObjectNode().put("removed", true).put("address", address));
    }

    void post(HttpExchange ex) throws IOException, ApiException {
        QueryParams q = QueryParams.of(ex, POST_PARAMETERS);
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        String mediaType = contentType == null ? "text/plain"
                : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String body = Exchanges.readBody(ex, MAX_BODY_BYTES);
        String reason = reason(q.text("reason"), "reason");
        if (mediaType.equals("application/json")) {
            postJson(ex, body, reason);
        } else if (mediaType.equals("text/plain") || mediaType.equals("text/csv")) {
            postList(ex, addressLines(body, mediaType.equals("text/csv")), reason);
        } else {
            throw new ApiException(415, "Content-Type " + mediaType
                    + " is not accepted; send application/json ({\"address\": ..., \"reason\": ...}) or text/plain (one address a line)");
        }
    }

    /** @param defaultReason for entries without their own: {@code ?reason=}, else {@link #DEFAULT_REASON} */
    private void postJson(HttpExchange ex, String body, String defaultReason) throws IOException, ApiException {
        JsonNode root;
        try {
            root = Exchanges.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "body: not valid JSON: " + e.getOriginalMessage());
        }
        if (root != null && root.isObject()) {
            Entry entry = entry(root, "body", defaultReason);
            boolean existed = listed(entry.address());
            Suppression s;
            try {
                s = editor.add(entry.address(), entry.reason());
            } catch (StoreException e) {
                throw unwritable(e);
            }
            ex.getResponseHeaders().set("Location", PATH + "/" + URLEncoder.encode(s.address(), StandardCharsets.UTF_8));
            Exchanges.sendJson(ex, existed ? 200 : 201, ApiJson.bytes(g -> ApiJson.suppression(g, s)));
            return;
        }
        if (root == null || !root.isArray()) {
            throw new ApiException(400, "body: expected an object {\"address\": ..., \"reason\": ...} or an array of them");
        }
        if (root.size() > MAX_ADDRESSES) {
            throw new ApiException(413, "body: more than " + MAX_ADDRESSES + " addresses in one request");
        }
        // one reason per add call: group the entries by reason, keeping the request's order within a group
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            Entry e = entry(root.get(i), "body[" + i + "]", defaultReason);
            byReason.computeIfAbsent(e.reason(), r -> new ArrayList<>()).add(e.address());
        }
        byReason.replaceAll((reason, list) -> List.copyOf(new LinkedHashSet<>(list)));
        int added = 0;
        int existing = 0;
        for (Map.Entry<String, List<String>> group : byReason.entrySet()) {
            int before = countListed(group.getValue());
            addAll(group.getValue(), group.getKey());
            existing += before;
            added += group.getValue().size() - before;
        }
        sendCounts(ex, added, existing);
    }

    private void postList(HttpExchange ex, List<String> lines, String reason) throws IOException, ApiException {
        List<String> addresses = List.copyOf(new LinkedHashSet<>(lines)); // a repeated line is one address
        int existing = countListed(addresses);
        addAll(addresses, reason);
        sendCounts(ex, addresses.size() - existing, existing);
    }

    private void addAll(List<String> addresses, String reason) throws ApiException {
        try {
            editor.addAll(addresses, reason);
        } catch (StoreException e) {
            throw unwritable(e);
        }
    }

    private static void sendCounts(HttpExchange ex, int added, int existing) throws IOException {
        Exchanges.sendJson(ex, 200, Exchanges.JSON.createObjectNode()
                .put("added", added).put("alreadyListed", existing).put("count", added + existing));
    }

    private record Entry(String address, String reason) {
    }

    private static Entry entry(JsonNode node, String where, String defaultReason) throws ApiException {
        if (node == null || !node.isObject()) {
            throw new ApiException(400, where + ": expected an object {\"address\": ..., \"reason\": ...}");
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("address") && !name.equals("reason")) {
                throw new ApiException(400, where + "." + name + ": unknown field; expected address and reason");
            }
        }
        JsonNode address = node.get("address");
        if (address == null || !address.isTextual()) {
            throw new ApiException(400, where + ".address: expected the address as a string");
        }
        JsonNode reason = node.get("reason");
        if (reason != null && !reason.isNull() && !reason.isTextual()) {
            throw new ApiException(400, where + ".reason: expected a string");
        }
        String text = reason == null || reason.isNull() ? null : reason.asText();
        return new Entry(validAddress(address.asText(), where + ".address"),
                text == null || text.isBlank() ? defaultReason : reason(text, where + ".reason"));
    }

    /** The addresses of a text list; blank lines and {@code #} comments skipped, CSV takes the first column. */
    static List<String> addressLines(String body, boolean csv) throws ApiException {
        List<String> out = new ArrayList<>();
        String[] lines = body.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (csv) {
                int comma = line.indexOf(',');
                line = (comma < 0 ? line : line.substring(0, comma)).trim();
                if (line.startsWith("\"") && line.endsWith("\"") && line.length() >= 2) {
                    line = line.substring(1, line.length() - 1);
                }
                if (out.isEmpty() && line.equalsIgnoreCase("address")) {
                    continue; // the header of our own export
                }
            }
            if (out.size() == MAX_ADDRESSES) {
                throw new ApiException(413, "body: more than " + MAX_ADDRESSES + " addresses in one request");
            }
            out.add(validAddress(line, "line " + (i + 1)));
        }
        if (out.isEmpty()) {
            throw new ApiException(400, "body: no addresses; send one address a line");
        }
        return out;
    }

    private static String validAddress(String raw, String where) throws ApiException {
        var problem = EmailAddress.check(raw);
        if (problem.isPresent()) {
            throw new ApiException(400, where + ": not an address: " + problem.get());
        }
        return EmailAddress.normalise(raw);
    }

    /**
     * Lookups take any address the list may hold: entries added from bounces carry what the MTA logged,
     * which need not pass the stricter check new manual entries get.
     */
    private static String pathAddress(String raw) throws ApiException {
        String address = EmailAddress.key(raw);
        if (address.isEmpty() || address.length() > 2 * EmailAddress.MAX_LENGTH) {
            throw new ApiException(400, "address in the path: expected " + PATH + "/local-part@domain");
        }
        return address;
    }

    private static String reason(String text, String where) throws ApiException {
        if (text == null || text.isBlank()) {
            return DEFAULT_REASON;
        }
        String r = text.strip();
        if (r.length() > MAX_REASON) {
            throw new ApiException(400, where + ": longer than " + MAX_REASON + " characters");
        }
        if (r.chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(400, where + ": must be one line without control characters");
        }
        return r;
    }

    private boolean listed(String address) throws ApiException {
        try {
            return store.suppression(address).isPresent();
        } catch (StoreException e) {
            throw unreadable(e);
        }
    }

    private int countListed(List<String> addresses) throws ApiException {
        int n = 0;
        for (String a : addresses) {
            if (listed(a)) {
                n++;
            }
        }
        return n;
    }

    /** Control characters replaced by '?', so one address stays on one line of a plain list. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                b.append('?');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    private static ApiException notListed(String address) {
        return new ApiException(404, "not on the suppression list: " + address);
    }

    private static ApiException unreadable(StoreException e) {
        return new ApiException(503, "the store could not be read: " + e.getMessage());
    }

    private static ApiException unwritable(StoreException e) {
        return new ApiException(503, "the store could not be written: " + e.getMessage());
    }
}
