package dev.bouncewatch.testmta.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The {@code Authorization: Bearer <token>} check of an HTTP API (test-mta's control API, the agent's API). */
public final class BearerToken {

    private static final BearerToken NONE = new BearerToken(null);

    private final byte[] token;

    private BearerToken(byte[] token) {
        this.token = token;
    }

    /** The token every guarded request must carry, or null for none (every request admitted). */
    public static BearerToken of(String token) {
        return token == null ? NONE : new BearerToken(token.getBytes(StandardCharsets.UTF_8));
    }

    public boolean required() {
        return token != null;
    }

    /** True without a token, else when the request carries it (compared in constant time). */
    public boolean admits(HttpExchange ex) {
        if (token == null) {
            return true;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] offered = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(offered, token); // constant time: no timing hints about the token
    }

    /** Answers 401 with a {@code WWW-Authenticate} challenge for {@code realm}. */
    public static void refuse(HttpExchange ex, String realm) throws IOException {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
        Exchanges.sendError(ex, 401, "missing or wrong bearer token");
    }
}
