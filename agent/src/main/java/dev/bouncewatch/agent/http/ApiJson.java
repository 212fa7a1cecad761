package dev.bouncewatch.agent.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.store.Stats;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import dev.bouncewatch.testmta.http.Exchanges;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;

/**
 * The API's JSON shapes. Field names are camelCase and match {@code parse --format jsonl}: a result
 * is the {@link DeliveryResult} fields followed by the classification fields. Remote text (replies,
 * diagnostics) is written as JSON strings and nothing else: escaping for display is the client's job.
 */
final class ApiJson {

    private ApiJson() {
    }

    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** Runs the writer into a byte array. */
    static byte[] bytes(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = Exchanges.JSON.getFactory().createGenerator(out)) {
            body.write(g);
        }
        return out.toByteArray();
    }

    static void result(JsonGenerator g, StoredResult stored) throws IOException {
        DeliveryResult r = stored.result();
        g.writeStartObject();
        g.writeNumberField("id", stored.id());
        g.writeStringField("source", stored.source());
        time(g, "ingestedAt", stored.ingestedAt());
        time(g, "time", r.time());
        g.writeStringField("host", r.host());
        g.writeStringField("mta", r.mta().wireName());
        g.writeStringField("queueId", r.queueId());
        g.writeStringField("messageId", r.messageId());
        g.writeStringField("sender", r.sender());
        g.writeStringField("recipient", r.recipient());
        g.writeStringField("origRecipient", r.origRecipient());
        g.writeStringField("relay", r.relay());
        g.writeStringField("relayIp", r.relayIp());
        g.writeStringField("status", r.status().wireName());
        g.writeStringField("mtaStatus", r.mtaStatus());
        g.writeStringField("dsn", r.dsn());
        number(g, "replyCode", r.replyCode());
        g.writeStringField("diagnostic", r.diagnostic());
        g.writeStringField("stage", r.stage().wireName());
        if (r.delaySeconds() == null) {
            g.writeNullField("delaySeconds");
        } else {
            g.writeNumberField("delaySeconds", r.delaySeconds());
        }
        g.writeNumberField("attempts", r.attempts());
        Classification c = stored.classification();
        g.writeStringField("severity", c.severity().wireName());
        g.writeStringField("category", c.category());
        g.writeBooleanField("hardBounce", c.hardBounce());
        g.writeStringField("action", c.action().wireName());
        g.writeArrayFieldStart("signals");
        for (String s : c.signals()) {
            g.writeString(s);
        }
        g.writeEndArray();
        g.writeStringField("ruleId", c.ruleId());
        g.writeStringField("advice", c.advice());
        g.writeEndObject();
    }

    static void suppression(JsonGenerator g, Suppression s) throws IOException {
        g.writeStartObject();
        g.writeStringField("address", s.address());
        g.writeStringField("origin", s.origin());
        g.writeStringField("reason", s.reason());
        g.writeStringField("category", s.category());
        time(g, "createdAt", s.createdAt());
        time(g, "updatedAt", s.updatedAt());
        if (s.resultId() == null) {
            g.writeNullField("resultId");
        } else {
            g.writeNumberField("resultId", s.resultId());
        }
        g.writeStringField("dsn", s.dsn());
        number(g, "replyCode", s.replyCode());
        g.writeStringField("diagnostic", s.diagnostic());
        g.writeNumberField("failures", s.failures());
        g.writeEndObject();
    }

    /** Stats plus what the dashboard derives from them: rates, and advice per category. */
    static void stats(JsonGenerator g, Stats s, long bucketSeconds) throws IOException {
        g.writeStartObject();
        time(g, "since", s.since());
        time(g, "until", s.until());
        g.writeNumberField("windowSeconds", s.until().getEpochSecond() - s.since().getEpochSecond());
        g.writeNumberField("bucketSeconds", bucketSeconds);
        g.writeNumberField("total", s.total());
        g.writeObjectFieldStart("byStatus");
        for (DeliveryStatus status : DeliveryStatus.values()) {
            g.writeNumberField(status.wireName(), s.byStatus().getOrDefault(status, 0L));
        }
        g.writeEndObject();
        long bounced = s.byStatus().getOrDefault(DeliveryStatus.BOUNCED, 0L) + s.byStatus().getOrDefault(DeliveryStatus.EXPIRED, 0L);
        g.writeNumberField("bounceRate", rate(bounced, s.total()));
        g.writeNumberField("deferralRate", rate(s.byStatus().getOrDefault(DeliveryStatus.DEFERRED, 0L), s.total()));
        g.writeArrayFieldStart("byCategory");
        for (Stats.Count c : s.byCategory()) {
            g.writeStartObject();
            g.writeStringField("category", c.key());
            g.writeNumberField("count", c.count());
            g.writeStringField("advice", advice(c.key()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("byDomain");
        for (Stats.DomainCounts d : s.byDomain()) {
            g.writeStartObject();
            g.writeStringField("domain", d.domain());
            g.writeNumberField("total", d.total());
            g.writeNumberField("delivered", d.delivered());
            g.writeNumberField("deferred", d.deferred());
            g.writeNumberField("bounced", d.bounced());
            g.writeNumberField("bounceRate", d.bounceRate());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("timeline");
        for (Stats.Bucket b : s.timeline()) {
            g.writeStartObject();
            time(g, "start", b.start());
            g.writeNumberField("total", b.total());
            g.writeNumberField("delivered", b.delivered());
            g.writeNumberField("deferred", b.deferred());
            g.writeNumberField("bounced", b.bounced());
            g.writeNumberField("bounceRate", rate(b.bounced(), b.total()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("topReasons");
        for (Stats.Reason r : s.topReasons()) {
            g.writeStartObject();
            g.writeStringField("category", r.category());
            g.writeStringField("dsn", r.dsn());
            g.writeStringField("action", r.action());
            g.writeNumberField("count", r.count());
            g.writeStringField("sample", r.sample());
            g.writeStringField("advice", advice(r.category()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static String advice(String category) {
        return category == null ? null : Category.fromWireName(category).map(Category::defaultAdvice).orElse(null);
    }

    static double rate(long part, long total) {
        return total == 0 ? 0 : (double) part / total;
    }

    static void time(JsonGenerator g, String field, Instant t) throws IOException {
        g.writeStringField(field, t == null ? null : t.toString());
    }

    private static void number(JsonGenerator g, String field, Integer n) throws IOException {
        if (n == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, n);
        }
    }
}
