package dev.bouncewatch.testmta.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading requests and writing responses for the control API: bounded bodies, JSON and text out. */
public final class Exchanges {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Exchanges() {
    }

    /**
     * The request body as strict UTF-8, at most {@code maxBytes}.
     *
     * @throws ApiException 413 when larger, 400 when not UTF-8
     */
    public static String readBody(HttpExchange ex, int maxBytes) throws IOException, ApiException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (body.size() + n > maxBytes) {
                    discardRest(in, buf);
                    throw new ApiException(413, "request body larger than " + maxBytes + " bytes");
                }
                body.write(buf, 0, n);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "request body is not valid UTF-8");
        }
    }

    /**
     * Reads what the client still sends (up to a bound) so it sees the 413 instead of a reset
     * connection; beyond the bound the server closes the connection anyway.
     */
    private static void discardRest(InputStream in, byte[] buf) throws IOException {
        long budget = 16L * 1024 * 1024;
        int n;
        while (budget > 0 && (n = in.read(buf)) >= 0) {
            budget -= n;
        }
    }

    /** Query parameters, last value wins. */
    public static Map<String, String> query(HttpExchange ex) throws ApiException {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(name, value);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "malformed query string: " + e.getMessage());
            }
        }
        return params;
    }

    public static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    public static void sendJson(HttpExchange ex, int status, byte[] json) throws IOException {
        send(ex, status, "application/json", json);
    }

    public static void sendError(HttpExchange ex, int status, String message) throws IOException {
        sendJson(ex, status, JSON.createObjectNode().put("error", message).put("status", status));
    }

    public static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
