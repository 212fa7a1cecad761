package dev.bouncewatch.agent.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.notify.NotificationEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlackMessageRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SlackMessageRenderer RENDERER = new SlackMessageRenderer(ZoneOffset.UTC);
    private static final String HOSTILE = "550 5.7.1 <!channel> <!here> <@U123> <#C999> <https://evil.example/x|click> "
            + "`code` ```block``` *bold* _it_ ~s~ &amp; \n second line";

    static ObjectNode alertData(String status, String severity, String scopeKey, String scopeValue, String sample,
                                int reasons, int domains) {
        ObjectNode data = JSON.createObjectNode();
        data.put("status", status);
        data.put("groupKey", "bounce_rate_recipient/" + scopeKey + "=" + scopeValue);
        ObjectNode a = data.putArray("alerts").addObject();
        a.put("status", status).put("rule", "bounce_rate_recipient").put("title", "Bounce rate").put("severity", severity);
        a.putObject("scope").put("key", scopeKey).put("value", scopeValue);
        a.put("summary", "76 of 1,240 messages bounced (6.1%) in the last 1h");
        a.put("startsAt", "2026-11-28T13:51:00Z");
        if (status.equals("resolved")) {
            a.put("endsAt", "2026-11-28T14:33:00Z");
        }
        ArrayNode facts = a.putArray("facts");
        facts.addObject().put("label", "Bounced").put("value", "76 / 1,240 (6.1%)");
        facts.addObject().put("label", "Window").put("value", "1h");
        a.put("action", "check-blocklist");
        a.put("advice", "The destination refused our sending IP or host; check the blocklists it names.");
        ArrayNode top = a.putArray("topReasons");
        for (int i = 0; i < reasons; i++) {
            top.addObject().put("category", "blocked").put("status", "5.7.1").put("smtpCode", 550).put("count", 455 - i)
                    .put("sample", sample);
        }
        ArrayNode doms = a.putArray("topDomains");
        for (int i = 0; i < domains; i++) {
            doms.addObject().put("domain", i == 0 ? scopeValue : "d" + i + ".example").put("count", 300 - i);
        }
        return data;
    }

    static NotificationEvent event(String type, ObjectNode data) {
        return new NotificationEvent("evt_1", type, Instant.parse("2026-11-28T14:00:00Z"), 1, "mx1.example.net", data,
                data.path("groupKey").asText(null));
    }

    private static JsonNode render(NotificationEvent e) throws Exception {
        return JSON.readTree(RENDERER.render(e));
    }

    /** Every text object and the fallback, with its type. */
    private static List<JsonNode> texts(JsonNode message) {
        List<JsonNode> out = new ArrayList<>();
        collect(message.path("blocks"), out);
        return out;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isObject() && node.has("type") && node.has("text") && node.get("text").isTextual()) {
            out.add(node);
        }
        node.forEach(child -> collect(child, out));
    }

    @Test
    void firingAlertHasHeaderFieldsActionRepliesDomainsAndContext() throws Exception {
        JsonNode m = render(event("alert.firing", alertData("firing", "critical", "provider", "microsoft", "451 4.7.650 rate limited due to IP reputation", 2, 2)));
        assertThat(m.path("text").asText()).isEqualTo(
                "FIRING [critical] Bounce rate `microsoft`: 76 of 1,240 messages bounced (6.1%) in the last 1h");
        assertThat(m.path("unfurl_links").asBoolean(true)).isFalse();
        JsonNode blocks = m.path("blocks");
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("text").asText()).isEqualTo("🔴 FIRING · Bounce rate · microsoft");
        assertThat(blocks.get(0).path("text").path("type").asText()).isEqualTo("plain_text");
        String all = blocks.toString();
        assertThat(all).contains("*Provider*\\n`microsoft`", "*Bounced*\\n76 / 1,240 (6.1%)", "*Since*\\n13:51 UTC",
                "*Action:* Check blocklist", "*Top replies*\\n• `550 5.7.1` ×455 _blocked_: `451 4.7.650 rate limited due to IP reputation`",
                "*Top domains*\\n• `microsoft` 300\\n• `d1.example` 299",
                "mute: `bouncewatch alerts mute bounce_rate_recipient --scope provider=microsoft --for 2h`");
        for (JsonNode t : texts(m)) {
            if (t.path("type").asText().equals("mrkdwn")) {
                assertThat(t.path("verbatim").asBoolean()).as("mrkdwn is verbatim: %s", t).isTrue();
            }
        }
    }

    @Test
    void resolvedAlertSaysHowLongItFired() throws Exception {
        JsonNode m = render(event("alert.resolved", alertData("resolved", "warning", "sender_domain", "example.com", "x", 1, 1)));
        assertThat(m.path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo("✅ RESOLVED after 42m · Bounce rate · example.com");
        assertThat(m.path("text").asText()).isEqualTo("RESOLVED Bounce rate `example.com` after 42m");
        assertThat(m.path("blocks").get(1).path("text").path("text").asText())
                .isEqualTo("_Last seen while firing:_ 76 of 1,240 messages bounced (6.1%) in the last 1h");
        assertThat(m.path("blocks").toString()).contains("*Fired*\\n13:51 UTC", "*Resolved*\\n14:33 UTC")
                .doesNotContain("Top replies", "mute:");
    }

    @Test
    void hostileRemoteTextCanNeitherPingNorLink() throws Exception {
        String hostileDomain = "evil<!channel>`.example";
        JsonNode m = render(event("alert.firing", alertData("firing", "warning", "domain", hostileDomain, HOSTILE, 3, 3)));
        String raw = m.toString();
        assertThat(raw).doesNotContain("<!channel>", "<!here>", "<@U123>", "<#C999>", "<https://");
        // no text object Slack parses may hold a raw < or >, and code spans must be balanced
        List<String> parsed = new ArrayList<>();
        parsed.add(m.path("text").asText());
        for (JsonNode t : texts(m)) {
            if (t.path("type").asText().equals("mrkdwn")) {
                parsed.add(t.path("text").asText());
            }
        }
        for (String s : parsed) {
            assertThat(s).doesNotContain("<", ">");
            assertThat(s.chars().filter(c -> c == '`').count() % 2).as("balanced backticks in %s", s).isZero();
        }
        assertThat(raw).contains("&lt;!channel&gt;", "&lt;https://evil.example/x|click&gt;");
        // the header is plain_text, which Slack never formats
        assertThat(m.path("blocks").get(0).path("text").path("text").asText()).contains("evil‹!channel›`.example");
    }

    @Test
    void longListsAndHugeTextsStayInsideSlacksLimits() throws Exception {
        String huge = "x".repeat(5000);
        ObjectNode data = alertData("firing", "warning", "domain", "d".repeat(1000) + ".example", huge, 60, 200);
        ((ObjectNode) data.path("alerts").get(0)).put("moreDomains", 1000).put("summary", huge);
        JsonNode m = render(event("alert.firing", data));
        assertThat(m.path("text").asText().length()).isLessThanOrEqualTo(40_000);
        JsonNode blocks = m.path("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        int total = 0;
        for (JsonNode b : blocks) {
            if (b.path("type").asText().equals("header")) {
                assertThat(b.path("text").path("text").asText().length()).isLessThanOrEqualTo(150);
            }
            if (b.path("type").asText().equals("section") && b.has("text")) {
                assertThat(b.path("text").path("text").asText().length()).isLessThanOrEqualTo(3000);
            }
            assertThat(b.path("fields").size()).isLessThanOrEqualTo(10);
        }
        for (JsonNode t : texts(m)) {
            total += t.path("text").asText().length();
        }
        assertThat(total).isLessThanOrEqualTo(12_000);
        String all = blocks.toString();
        assertThat(all).contains("_+55 more_"); // 60 replies, 5 shown
        assertThat(all).contains("_+1,195 more_"); // 200 listed + 1000 not listed, 5 shown
    }

    @Test
    void tooManyBlocksEndInANote() {
        BlockKitMessage m = new BlockKitMessage().fallback("x");
        for (int i = 0; i < 80; i++) {
            m.section("section " + i);
        }
        JsonNode built = m.build();
        assertThat(built.path("blocks").size()).isEqualTo(BlockKitMessage.MAX_BLOCKS);
        JsonNode last = built.path("blocks").get(BlockKitMessage.MAX_BLOCKS - 1);
        assertThat(last.path("type").asText()).isEqualTo("context");
        assertThat(last.toString()).contains("+41 more sections not shown");
    }

    @Test
    void healthEventNamesTheBrokenPart() throws Exception {
        ObjectNode data = JSON.createObjectNode();
        data.put("status", "firing");
        ObjectNode a = data.putArray("alerts").addObject();
        a.put("rule", "agent_health").put("title", "Notifier paused").put("severity", "critical")
                .put("summary", "Slack answered HTTP 404 no_service");
        a.putObject("scope").put("key", "destination").put("value", "ops-slack");
        JsonNode m = render(event("agent.health", data));
        assertThat(m.path("blocks").get(0).path("text").path("text").asText()).isEqualTo("🚨 AGENT HEALTH · Notifier paused · ops-slack");
        assertThat(m.path("text").asText()).contains("Notifier paused", "`ops-slack`", "404 no_service");
    }

    @Test
    void digestShowsCountsReasonsAndDomains() throws Exception {
        ObjectNode d = JSON.createObjectNode();
        d.putObject("period").put("label", "2026-11-27").put("since", "2026-11-27T07:00:00Z").put("until", "2026-11-28T07:00:00Z");
        d.put("total", 10_000);
        d.putObject("byStatus").put("delivered", 9_500).put("deferred", 300).put("bounced", 180).put("expired", 20);
        d.put("bounceRate", 0.02);
        d.put("newSuppressions", 42).put("suppressionsTotal", 1234);
        d.putObject("alerts").put("fired", 3).put("resolved", 2).put("active", 1);
        d.putArray("topReasons").addObject().put("category", "userunknown").put("status", "5.1.1").put("smtpCode", 550)
                .put("count", 120).put("sample", HOSTILE);
        d.putArray("topDomains").addObject().put("domain", "gmail.com").put("total", 4000).put("bounced", 40).put("deferred", 12);
        JsonNode m = render(event("report.digest", d));
        assertThat(m.path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo("📊 Daily mail report · 2026-11-27 · mx1.example.net");
        assertThat(m.path("text").asText()).isEqualTo(
                "Daily mail report 2026-11-27: 10,000 results, 9,500 delivered, 200 bounced (2%), 300 deferred");
        String all = m.path("blocks").toString();
        assertThat(all).contains("*Delivered*\\n9,500 (95%)", "*Bounced*\\n180 + 20 expired", "*New suppressions*\\n42 (1,234 in total)",
                "*Alerts*\\n3 fired, 2 resolved, 1 active", "• `550 5.1.1` ×120 _userunknown_:",
                "• `gmail.com` 4,000 results · 40 bounced (1%) · 12 deferred", "2026-11-27 07:00 UTC to 2026-11-28 07:00 UTC");
        assertThat(all).doesNotContain("<!channel>");
    }

    @Test
    void testEventAndUnknownData() throws Exception {
        JsonNode m = render(event("webhook.test", JSON.createObjectNode()));
        assertThat(m.path("blocks").get(0).path("text").path("text").asText()).isEqualTo("🔔 bouncewatch test message");
        JsonNode empty = render(event("alert.firing", JSON.createObjectNode()));
        assertThat(empty.path("blocks").get(0).path("text").path("text").asText()).isEqualTo("🟠 FIRING · Alert");
    }
}
