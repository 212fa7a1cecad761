package dev.bouncewatch.testmta.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.smtp.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private final Catalog catalog = Catalog.builtIn();

    @Test
    void everyEntryIsAConsistentReply() {
        assertThat(catalog.names()).hasSizeGreaterThan(40);
        for (Map.Entry<String, ReplyTemplate> e : catalog.entries().entrySet()) {
            ReplyTemplate t = e.getValue();
            Reply r = t.render(null);
            assertThat(r.code()).as(e.getKey()).isBetween(200, 599);
            assertThat(r.enhancedCode()).as(e.getKey() + " has an enhanced code").isNotNull();
            assertThat(r.enhancedCode().charAt(0) - '0').as(e.getKey() + " class").isEqualTo(r.code() / 100);
            // the reply survives a round trip through the text form the wire encoder uses per line
            for (String line : r.lines()) {
                Reply again = Reply.parse(r.code() + " " + r.enhancedCode() + " " + line);
                assertThat(again.lines()).as(e.getKey()).containsExactly(line.strip().isEmpty() ? "" : line);
                assertThat(line.length()).as(e.getKey() + " line fits in 512 octets with code and esc").isLessThan(480);
            }
            assertThat(t.variables()).as(e.getKey() + " uses only known variables").isSubsetOf(Evaluation.VARIABLES);
            assertThat(catalog.about(e.getKey())).as(e.getKey() + " says where it comes from").isNotBlank();
            assertThat(t.name()).isEqualTo(e.getKey());
        }
    }

    @Test
    void entriesTheBriefNamesExist() {
        assertThat(catalog.names()).contains("gmail.no_such_user", "gmail.over_quota", "gmail.rate_limited", "gmail.dmarc",
                "gmail.spam", "microsoft.mailbox_unavailable", "microsoft.blocklist_s3150", "microsoft.throttled",
                "yahoo.deferred", "yahoo.policy", "spamhaus.zen", "barracuda.reputation", "postgrey.greylisted",
                "generic.mailbox_full", "postfix.auth_required", "postfix.bad_credentials", "gmail.bad_address_syntax",
                "generic.user_not_local", "greylisted", "rate_limited");
        assertThat(summary("gmail.no_such_user")).startsWith("550 5.1.1 The email account that you tried to reach does not exist.");
        assertThat(summary("gmail.over_quota")).startsWith("452 4.2.2");
        assertThat(summary("gmail.rate_limited")).startsWith("421 4.7.28");
        assertThat(summary("gmail.dmarc")).startsWith("550 5.7.26");
        assertThat(summary("microsoft.mailbox_unavailable")).startsWith("550 5.5.0 Requested action not taken: mailbox unavailable");
        assertThat(summary("microsoft.blocklist_s3150")).startsWith("550 5.7.1").contains("part of their network is on our block list (S3150)");
        assertThat(summary("microsoft.throttled")).startsWith("451 4.7.650");
        assertThat(summary("yahoo.deferred")).startsWith("421 4.7.0 [TSS04]");
        assertThat(summary("yahoo.policy")).startsWith("554 5.7.9");
        assertThat(summary("spamhaus.zen")).startsWith("554 5.7.1").contains("blocked using zen.spamhaus.org");
        assertThat(summary("postgrey.greylisted")).startsWith("450 4.2.0").contains("Greylisted");
        assertThat(summary("generic.mailbox_full")).startsWith("552 5.2.2");
        assertThat(summary("postfix.auth_required")).startsWith("530 5.7.0");
        assertThat(summary("postfix.bad_credentials")).startsWith("535 5.7.8");
        assertThat(summary("gmail.bad_address_syntax")).startsWith("553 5.1.3");
        assertThat(summary("generic.user_not_local")).startsWith("551 5.1.6");
    }

    private String summary(String name) {
        Reply r = catalog.get(name).orElseThrow().render(null);
        return r.code() + " " + r.enhancedCode() + " " + r.text();
    }

    @Test
    void magicTableNamesEntriesWithTheSameCode() {
        assertThat(catalog.magicByCode()).containsKeys(250, 421, 450, 451, 452, 550, 551, 552, 553, 554);
        catalog.magicByCode().forEach((code, name) ->
                assertThat(catalog.get(name).orElseThrow().code()).as(name).isEqualTo(code));
    }

    @Test
    void rfcFallbackExistsForEveryCommonCode() {
        for (int code : new int[] {250, 251, 252, 421, 450, 451, 452, 500, 501, 502, 503, 504, 550, 551, 552, 553, 554}) {
            assertThat(catalog.get("rfc5321." + code)).as("rfc5321.%d", code).isPresent();
        }
    }

    @Test
    void brokenCatalogueTextIsReportedWithLines() {
        try {
            CatalogReader.readBuiltIn("""
                    replies:
                      ok.entry: { code: 250, esc: 2.0.0, text: fine }
                      bad.entry: { code: 250, esc: 5.0.0, text: wrong class }
                    magic:
                      550: ok.entry
                    """, "broken.yml");
            throw new AssertionError("should fail");
        } catch (ScenarioException e) {
            assertThat(e.problems()).extracting(p -> p.line() + " " + p.key())
                    .containsExactly("3 replies.bad.entry.esc", "5 magic.550");
        }
    }
}
