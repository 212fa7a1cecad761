package dev.bouncewatch.agent.http;

import static dev.bouncewatch.agent.http.ApiTestAgent.NOW;
import static dev.bouncewatch.agent.http.ApiTestAgent.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncewatch.agent.store.StoredResult;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResultsEndpointTest extends ApiTestBase {

    static final String USER_UNKNOWN = "550 5.1.1 <jane@example.net>: Recipient address rejected: User unknown in virtual mailbox table";
    static final String MAILBOX_FULL = "452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp";
    static final String BLOCKED = "554 5.7.1 Service unavailable; Client host [192.0.2.25] blocked using zen.spamhaus.org";


    @Test
    void pagesThroughEveryResultNewestFirstExactlyOnce() throws Exception {
        List<StoredResult> seeded = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            seeded.addAll(agent.insert(Seeds.delivered("user" + i + "@example.com", NOW.minusSeconds(3600 - i * 60L))));
        }
        List<Long> seen = new ArrayList<>();
        String path = "/api/results?limit=10";
        int pages = 0;
        while (path != null) {
            JsonNode page = json(agent.get(path));
            pages++;
            page.get("items").forEach(item -> seen.add(item.get("id").asLong()));
            assertThat(page.get("count").asInt()).isEqualTo(page.get("items").size());
            path = page.get("next").isNull() ? null : "/api/results?limit=10&before=" + page.get("next").asLong();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates()
                .containsExactlyElementsOf(seeded.stream().map(StoredResult::id).sorted((a, b) -> Long.compare(b, a)).toList());
    }

    @Test
    void aResultCarriesTheDeliveryFieldsAndItsClassification() throws Exception {
        String hostile = "550 5.1.1 <img src=x onerror=alert(1)> \"quoted\" \\ back\u0001slash: User unknown";
        long id = agent.insert(Seeds.bounced("Jane@Gmail.com", NOW.minusSeconds(60), hostile)).get(0).id();
        HttpResponse<String> response = agent.get("/api/results");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode r = json(response).get("items").get(0);
        assertThat(r.get("id").asLong()).isEqualTo(id);
        assertThat(r.get("source").asText()).isEqualTo(Seeds.SOURCE);
        assertThat(r.get("time").asText()).isEqualTo("2026-11-29T11:59:00Z");
        assertThat(r.get("recipient").asText()).isEqualTo("Jane@Gmail.com");
        assertThat(r.get("status").asText()).isEqualTo("bounced");
        assertThat(r.get("replyCode").asInt()).isEqualTo(550);
        assertThat(r.get("dsn").asText()).isEqualTo("5.1.1");
        assertThat(r.get("stage").asText()).isEqualTo("rcpt");
        assertThat(r.get("mta").asText()).isEqualTo("postfix");
        assertThat(r.get("diagnostic").asText()).isEqualTo(hostile); // JSON-escaped on the wire, intact after parsing
        assertThat(r.get("category").asText()).isEqualTo("userunknown");
        assertThat(r.get("hardBounce").asBoolean()).isTrue();
        assertThat(r.get("action").asText()).isEqualTo("suppress");
        assertThat(r.get("advice").asText()).isNotBlank();
        assertThat(r.get("signals").isArray()).isTrue();
        assertThat(response.body()).contains("\\u0001").contains("\\\"quoted\\\"");
    }

    @Test
    void filtersCombineStatusCategoryRecipientDomainAndTime() throws Exception {
        agent.insert(
                Seeds.delivered("jane@gmail.com", NOW.minus(Duration.ofHours(3))),
                Seeds.bounced("jane@gmail.com", NOW.minus(Duration.ofMinutes(90)), USER_UNKNOWN),
                Seeds.deferred("bob@gmail.com", NOW.minus(Duration.ofMinutes(30)), MAILBOX_FULL),
                Seeds.bounced("ops@example.net", NOW.minus(Duration.ofMinutes(20)), BLOCKED),
                Seeds.expired("old@example.net", NOW.minus(Duration.ofMinutes(10)), "451 4.4.1 Connection timed out"),
                Seeds.delivered("ann@example.net", NOW.minus(Duration.ofMinutes(5))));

        assertThat(recipients("/api/results?status=bounced,expired"))
                .containsExactly("old@example.net", "ops@example.net", "jane@gmail.com");
        assertThat(recipients("/api/results?status=deferred")).containsExactly("bob@gmail.com");
        assertThat(recipients("/api/results?category=userunknown")).containsExactly("jane@gmail.com");
        assertThat(recipients("/api/results?recipient=JANE@gmail.com")).containsExactly("jane@gmail.com", "jane@gmail.com");
        assertThat(recipients("/api/results?domain=example.net&status=delivered")).containsExactly("ann@example.net");
        assertThat(recipients("/api/results?since=1h")).containsExactly("ann@example.net", "old@example.net",
                "ops@example.net", "bob@gmail.com");
        assertThat(recipients("/api/results?since=2026-11-29T10:00:00Z&until=2026-11-29T11:40:00Z"))
                .containsExactly("bob@gmail.com", "jane@gmail.com");
        // an unencoded '+01:00' arrives as a space: 11:45+01:00 is 10:45Z
        assertThat(recipients("/api/results?until=2026-11-29T11:45:00+01:00")).containsExactly("jane@gmail.com", "jane@gmail.com");
        assertThat(recipients("/api/results?since=15m&status=delivered")).containsExactly("ann@example.net");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "limit=0|limit",
            "limit=1001|limit",
            "limit=ten|limit",
            "before=-3|before",
            "before=x|before",
            "since=yesterday|since",
            "since=2026-13-01T00:00:00Z|since",
            "until=5x|until",
            "status=lost|status",
            "category=nosuchthing|category",
            "since=1h&until=2h|since",
            "colour=red|colour",
    })
    void badParametersAre400sThatNameTheParameter(String query, String named) {
        HttpResponse<String> response = agent.get("/api/results?" + query);
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.get("status").asInt()).isEqualTo(400);
        assertThat(body.get("error").asText()).contains(named);
    }

    private List<String> recipients(String path) {
        HttpResponse<String> response = agent.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        json(response).get("items").forEach(i -> out.add(i.get("recipient").asText()));
        return out;
    }
}
