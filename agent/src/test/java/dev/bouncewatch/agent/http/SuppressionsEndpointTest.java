package dev.bouncewatch.agent.http;

import static dev.bouncewatch.agent.http.ApiTestAgent.NOW;
import static dev.bouncewatch.agent.http.ApiTestAgent.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.SmtpStage;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import dev.bouncewatch.agent.suppress.SuppressionCsv;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuppressionsEndpointTest extends ApiTestBase {

    @Test
    void addLookUpAndRemoveOneAddress() throws Exception {
        HttpResponse<String> added = agent.post("/api/suppressions", "application/json",
                "{\"address\": \" <Jane.Doe@Example.COM> \", \"reason\": \"asked to be removed by phone\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(added.headers().firstValue("Location")).hasValue("/api/suppressions/jane.doe%40example.com");
        JsonNode entry = json(added);
        assertThat(entry.get("address").asText()).isEqualTo("jane.doe@example.com");
        assertThat(entry.get("origin").asText()).isEqualTo("manual");
        assertThat(entry.get("reason").asText()).isEqualTo("asked to be removed by phone");
        assertThat(agent.store.reader().suppression("jane.doe@example.com")).isPresent();

        HttpResponse<String> again = agent.post("/api/suppressions", "application/json; charset=utf-8",
                "{\"address\": \"jane.doe@example.com\"}");
        assertThat(again.statusCode()).isEqualTo(200); // already listed: refreshed, not created
        assertThat(json(again).get("reason").asText()).isEqualTo(SuppressionsEndpoint.DEFAULT_REASON);

        JsonNode got = json(agent.get("/api/suppressions/Jane.Doe@example.com"));
        assertThat(got.get("address").asText()).isEqualTo("jane.doe@example.com");
        assertThat(got.get("createdAt").asText()).isEqualTo(NOW.toString());

        HttpResponse<String> removed = agent.delete("/api/suppressions/jane.doe%40example.com");
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(json(removed).get("removed").asBoolean()).isTrue();
        assertThat(agent.store.reader().suppression("jane.doe@example.com")).isEmpty();

        HttpResponse<String> gone = agent.delete("/api/suppressions/jane.doe@example.com");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).get("error").asText()).contains("jane.doe@example.com");
        assertThat(agent.get("/api/suppressions/jane.doe@example.com").statusCode()).isEqualTo(404);
    }

    @Test
    void aTextListAddsEveryAddressOnceAndCountsThoseAlreadyListed() throws Exception {
        agent.post("/api/suppressions", "application/json", "{\"address\": \"known@example.com\"}");
        HttpResponse<String> response = agent.post("/api/suppressions?reason=complaint%20export%202026-11",
                "text/plain; charset=utf-8",
                "# exported from the CRM\r\none@example.com\r\n\r\n  Two@Example.com  \r\nknown@example.com\r\none@example.com\r\n");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode counts = json(response);
        assertThat(counts.get("added").asInt()).isEqualTo(2);
        assertThat(counts.get("alreadyListed").asInt()).isEqualTo(1);
        assertThat(agent.store.reader().suppressionCount()).isEqualTo(3);
        assertThat(agent.store.reader().suppression("two@example.com").orElseThrow().reason())
                .isEqualTo("complaint export 2026-11");
    }

    @Test
    void oneBadLineRefusesTheWholeListAndNamesTheLine() throws Exception {
        HttpResponse<String> response = agent.post("/api/suppressions", "text/plain",
                "one@example.com\ntwo@example.com\nnot an address\nfour@example.com\n");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).startsWith("line 3:").contains("not an address");
        assertThat(agent.store.reader().suppressionCount()).isZero();
    }

    @Test
    void aJsonArrayAddsEachEntryWithItsReason() throws Exception {
        HttpResponse<String> response = agent.post("/api/suppressions", "application/json",
                "[{\"address\": \"a@example.com\", \"reason\": \"complaint\"}, {\"address\": \"b@example.com\"}]");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("added").asInt()).isEqualTo(2);
        assertThat(agent.store.reader().suppression("a@example.com").orElseThrow().reason()).isEqualTo("complaint");
        assertThat(agent.store.reader().suppression("b@example.com").orElseThrow().reason())
                .isEqualTo(SuppressionsEndpoint.DEFAULT_REASON);
        // ?reason= is the default for entries without their own
        agent.post("/api/suppressions?reason=crm%20sync", "application/json",
                "[{\"address\": \"c@example.com\"}, {\"address\": \"d@example.com\", \"reason\": \"bounced twice\"}]");
        assertThat(agent.store.reader().suppression("c@example.com").orElseThrow().reason()).isEqualTo("crm sync");
        assertThat(agent.store.reader().suppression("d@example.com").orElseThrow().reason()).isEqualTo("bounced twice");
    }

    @Test
    void refusesBadBodiesWithTheFieldAtFault() {
        assertError(agent.post("/api/suppressions", "application/json", "{\"address\": 42}"), 400, "body.address");
        assertError(agent.post("/api/suppressions", "application/json", "{\"address\": \"a@b.c\", \"colour\": 1}"), 400,
                "body.colour");
        assertError(agent.post("/api/suppressions", "application/json", "[{\"address\": \"a@b.c\"}, 7]"), 400, "body[1]");
        assertError(agent.post("/api/suppressions", "application/json", "{\"address\": \"a@b.c\", \"reason\": \"x\\ny\"}"),
                400, "body.reason");
        assertError(agent.post("/api/suppressions", "application/json", "{\"address\": "), 400, "body: not valid JSON");
        assertError(agent.post("/api/suppressions", "application/xml", "<a/>"), 415, "Content-Type");
        assertError(agent.post("/api/suppressions", "text/plain", "\n# nothing\n"), 400, "no addresses");
        assertError(agent.post("/api/suppressions?reason=" + "x".repeat(501), "text/plain", "a@b.c"), 400, "reason");
        assertError(agent.post("/api/suppressions?colour=red", "text/plain", "a@b.c"), 400, "colour");
    }

    @Test
    void listsNewestFirstWithSearchAndPages() throws Exception {
        List<Suppression> entries = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Instant at = NOW.minus(Duration.ofMinutes(30 - i));
            entries.add(new Suppression("user" + i + (i % 3 == 0 ? "@gmail.com" : "@example.net"), Suppression.ORIGIN_MANUAL,
                    "test " + i, null, at, at, null, null, null, null, 1));
        }
        agent.suppress(entries.toArray(Suppression[]::new));

        JsonNode first = json(agent.get("/api/suppressions?limit=20"));
        assertThat(first.get("total").asLong()).isEqualTo(30);
        assertThat(first.get("count").asInt()).isEqualTo(20);
        assertThat(first.get("items").get(0).get("address").asText()).isEqualTo("user29@example.net");
        assertThat(first.get("next").asInt()).isEqualTo(20);
        JsonNode second = json(agent.get("/api/suppressions?limit=20&offset=20"));
        assertThat(second.get("count").asInt()).isEqualTo(10);
        assertThat(second.get("next").isNull()).isTrue();

        JsonNode gmail = json(agent.get("/api/suppressions?q=GMAIL"));
        assertThat(gmail.get("count").asInt()).isEqualTo(10);
        gmail.get("items").forEach(i -> assertThat(i.get("address").asText()).endsWith("@gmail.com"));

        assertError(agent.get("/api/suppressions?format=xml"), 400, "format");
        assertError(agent.get("/api/suppressions?limit=5000"), 400, "limit");
        assertError(agent.get("/api/suppressions?offset=-1"), 400, "offset");
    }

    @Test
    void exportsTheWholeListAsCsvAndAsPlainTextAcrossManyPages() throws Exception {
        // a bounce whose reply a spreadsheet would run as a formula (defusing itself: suppress/SuppressionCsvTest)
        StoredResult bounce = agent.insert(Seeds.result("first@example.com", NOW.minusSeconds(30), DeliveryStatus.BOUNCED,
                "bounced", "5.1.1", 550, "=HYPERLINK(\"http://evil.example\",\"User unknown\")", SmtpStage.RCPT)).get(0);
        int n = SuppressionsEndpoint.EXPORT_PAGE * 2 + 500;
        Suppression[] entries = new Suppression[n];
        for (int i = 0; i < n; i++) {
            Instant at = NOW.minus(Duration.ofSeconds(n - i + 60L));
            entries[i] = new Suppression("bulk" + i + "@example.org", Suppression.ORIGIN_MANUAL, "import", null, at, at,
                    null, null, null, null, 1);
        }
        agent.suppress(entries);
        agent.suppress(ApiTestAgent.bounceSuppression(bounce, NOW.minusSeconds(29)));

        HttpResponse<String> csv = agent.get("/api/suppressions?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines).hasSize(n + 2);
        assertThat(lines[0]).isEqualTo(SuppressionCsv.HEADER);
        assertThat(lines[1]).startsWith("first@example.com,bounce,userunknown,").endsWith(",5.1.1,550");
        assertThat(lines[n + 1]).startsWith("bulk0@example.org,manual,,import,");

        HttpResponse<String> text = agent.get("/api/suppressions?format=text&q=bulk&limit=1200&offset=5");
        List<String> addresses = text.body().lines().toList();
        assertThat(addresses).hasSize(1200).doesNotHaveDuplicates();
        assertThat(addresses.get(0)).isEqualTo("bulk" + (n - 6) + "@example.org");
    }

    @Test
    void anAddressTheListGotFromALogCanBeLookedUpAndRemovedEvenIfStrictSyntaxWouldRefuseIt() throws Exception {
        Instant at = NOW.minusSeconds(10);
        agent.suppress(new Suppression("\"odd user\"@example.com", Suppression.ORIGIN_BOUNCE, "userunknown", "userunknown",
                at, at, null, "5.1.1", 550, "550 5.1.1 no such user", 1));
        assertThat(agent.get("/api/suppressions/%22odd%20user%22@example.com").statusCode()).isEqualTo(200);
        assertThat(agent.delete("/api/suppressions/%22odd%20user%22@example.com").statusCode()).isEqualTo(200);
    }

    @Test
    void printableKeepsOneAddressOnOneLineOfThePlainList() {
        assertThat(SuppressionsEndpoint.printable("a\nb\u2028c@example.com")).isEqualTo("a?b?c@example.com");
    }

        private static void assertError(HttpResponse<String> response, int status, String mention) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).contains(mention);
    }
}
