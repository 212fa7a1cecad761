package dev.bouncewatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bouncewatch.agent.notify.EventFilter;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.testmta.yaml.YamlProblem;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code notify.webhooks}: every key, its defaults, and every mistake with its line. */
class WebhookConfigReaderTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OTHER = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.of("CRM_SECRET", SECRET, "PLAIN", "not-a-webhook-secret-at-all")::get);

    private LoadedConfig parse(String yaml) throws ConfigException {
        return loader.parse(yaml, "agent.yml", dir);
    }

    private List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(() -> parse(yaml), ConfigException.class);
        assertThat(e).as("expected problems in:%n%s", yaml).isNotNull();
        return e.problems().stream().map(YamlProblem::toString).toList();
    }

    @Test
    void readsEveryKey() throws Exception {
        Path secretFile = dir.resolve("old.secret");
        Files.writeString(secretFile, OTHER + "\n");
        NotifyConfig n = parse("""
                notify:
                  console: false
                  webhooks:
                    - name: crm
                      url: https://crm.example.com/hooks/bounces?source=bw
                      secret: [{env: CRM_SECRET}, {file: old.secret}]
                      events: [message.*, recipient.suppressed]
                      categories: [UserUnknown, hostunknown]
                      domains: [gmail.com, "@Outlook.com"]
                      allowInsecure: false
                      timeout: 5s
                    - name: local
                      url: http://127.0.0.1:8080/hook
                      secret: %s
                      allowInsecure: true
                """.formatted(SECRET)).config().notifications();

        assertThat(n.console()).isFalse();
        assertThat(n.destinationNames()).containsExactly("crm", "local");
        WebhookConfig crm = n.webhooks().get(0);
        assertThat(crm.url()).isEqualTo(URI.create("https://crm.example.com/hooks/bounces?source=bw"));
        assertThat(crm.secrets()).extracting(Secret::origin).containsExactly("env:CRM_SECRET", "file:" + secretFile);
        assertThat(crm.secrets()).extracting(Secret::reveal).containsExactly(SECRET, OTHER);
        assertThat(crm.events()).isEqualTo(EnumSet.of(EventType.MESSAGE_BOUNCED, EventType.MESSAGE_DEFERRED,
                EventType.MESSAGE_DELIVERED, EventType.RECIPIENT_SUPPRESSED));
        assertThat(crm.categories()).containsExactlyInAnyOrder("userunknown", "hostunknown");
        assertThat(crm.domains()).containsExactlyInAnyOrder("gmail.com", "outlook.com");
        assertThat(crm.timeout()).isEqualTo(Duration.ofSeconds(5));

        WebhookConfig local = n.webhooks().get(1);
        assertThat(local.allowInsecure()).isTrue();
        assertThat(local.events()).isEqualTo(EventFilter.DEFAULT_TYPES);
        assertThat(local.categories()).isEmpty();
        assertThat(local.domains()).isEmpty();
        assertThat(local.timeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void theSummaryNamesWebhooksButNeverTheirUrlOrSecret() throws Exception {
        AgentConfig c = parse("""
                notify:
                  webhooks:
                    - {name: crm, url: "https://crm.example.com/h?token=abc", secret: {env: CRM_SECRET}}
                """).config();
        assertThat(c.summary()).contains("notify console, crm").doesNotContain("abc", "MfKQ9r8", "crm.example.com");
    }

    @Test
    void plainHttpWithoutAllowInsecureIsAnErrorOnTheUrlLine() {
        assertThat(problems("""
                notify:
                  webhooks:
                    - name: crm
                      url: http://crm.example.com/hooks
                      secret: {env: CRM_SECRET}
                """)).containsExactly("agent.yml:4:12: notify.webhooks[0].url: plain http sends events unencrypted; "
                + "use https, or set allowInsecure: true for a receiver on loopback or in a test");
    }

    @Test
    void plainHttpToAnotherHostIsAllowedWithAWarning() throws Exception {
        LoadedConfig loaded = parse("""
                notify:
                  webhooks:
                    - {name: crm, url: "http://crm.internal:8080/h", secret: {env: CRM_SECRET}, allowInsecure: true}
                """);
        assertThat(loaded.warnings()).extracting(YamlProblem::toString).containsExactly(
                "agent.yml:3:24: notify.webhooks[0].url: plain http to crm.internal, which is not loopback: "
                        + "events and their signatures travel unencrypted");
        assertThat(parse("""
                notify:
                  webhooks:
                    - {name: crm, url: "http://[::1]:8080/h", secret: {env: CRM_SECRET}, allowInsecure: true}
                """).warnings()).isEmpty();
    }

    @Test
    void namesAreRequiredValidAndUniqueAcrossDestinations() {
        assertThat(problems("""
                notify:
                  webhooks:
                    - {name: crm, url: "https://a.example/h", secret: {env: CRM_SECRET}}
                    - {name: crm, url: "https://b.example/h", secret: {env: CRM_SECRET}}
                    - {name: console, url: "https://c.example/h", secret: {env: CRM_SECRET}}
                    - {name: "bad name!", url: "https://d.example/h", secret: {env: CRM_SECRET}}
                    - {url: "https://e.example/h", secret: {env: CRM_SECRET}}
                """)).containsExactly(
                "agent.yml:4:14: notify.webhooks[1].name: the destination name 'crm' is already used on line 3; "
                        + "names must be unique across console, webhooks and slack",
                "agent.yml:5:14: notify.webhooks[2].name: the destination name 'console' is already used; "
                        + "names must be unique across console, webhooks and slack",
                "agent.yml:6:14: notify.webhooks[3].name: 'bad name!' is not a usable name: 1 to 64 letters, digits, "
                        + "'.', '_' or '-', starting with a letter or digit",
                "agent.yml:7:7: notify.webhooks[4].name: missing; expected a name for this webhook, e.g. name: crm "
                        + "(used in logs and by 'bouncewatch outbox')");
    }

    @Test
    void urlAndSecretAreRequiredAndTheSecretMustBeAStandardWebhooksSecret() {
        List<String> p = problems("""
                notify:
                  webhooks:
                    - name: a
                    - name: b
                      url: "https://x.example/h"
                      secret: {env: PLAIN}
                    - name: c
                      url: "https://x.example/h"
                      secret: whsec_c2hvcnQ=
                """);
        assertThat(p).hasSize(4);
        assertThat(p.get(0)).startsWith("agent.yml:3:7: notify.webhooks[0].url: missing; expected the receiver's https:// address");
        assertThat(p.get(1)).startsWith("agent.yml:3:7: notify.webhooks[0].secret: missing; expected the signing secret");
        assertThat(p.get(2)).startsWith("agent.yml:6:15: notify.webhooks[1].secret: secret from env:PLAIN: a webhook secret starts with 'whsec_'");
        assertThat(p.get(3)).isEqualTo("agent.yml:9:15: notify.webhooks[2].secret: secret from config: the secret decodes to 5 bytes; "
                + "Standard Webhooks asks for 24 to 64");
        assertThat(String.join("\n", p)).doesNotContain("not-a-webhook-secret-at-all");
    }

    @Test
    void filtersAreCheckedAgainstTheRealVocabularies() {
        assertThat(problems("""
                notify:
                  webhooks:
                    - name: crm
                      url: "https://x.example/h"
                      secret: {env: CRM_SECRET}
                      events: [message.bouncd, alerts.*]
                      categories: [userunkown]
                      domains: ["not a domain"]
                      timeout: 5m
                """)).containsExactly(
                "agent.yml:6:16: notify.webhooks[0].events: unknown event type 'message.bouncd' (did you mean message.bounced?); "
                        + "expected some of: message.delivered, message.deferred, message.bounced, recipient.suppressed, "
                        + "alert.firing, alert.resolved, report.digest, agent.health, webhook.test (or message.*, all)",
                "agent.yml:6:32: notify.webhooks[0].events: no event type starts with 'alerts.'; expected some of: "
                        + "message.delivered, message.deferred, message.bounced, recipient.suppressed, alert.firing, "
                        + "alert.resolved, report.digest, agent.health, webhook.test",
                "agent.yml:7:20: notify.webhooks[0].categories: unknown category 'userunkown' (did you mean userunknown?); "
                        + "the categories are those of 'bouncewatch classify'",
                "agent.yml:8:17: notify.webhooks[0].domains: 'not a domain' is not a domain name (e.g. gmail.com; it also "
                        + "matches its subdomains)",
                "agent.yml:9:16: notify.webhooks[0].timeout: expected a duration from 1s to 1m, got '5m'");
    }

    @Test
    void aUrlThatDoesNotParseIsReportedWithoutRepeatingIt() {
        List<String> p = problems("""
                notify:
                  webhooks:
                    - {name: crm, url: "https://x.example/h?token=s3cr3t value", secret: {env: CRM_SECRET}}
                """);
        assertThat(p).hasSize(1);
        assertThat(p.get(0)).contains("not a valid URL").doesNotContain("s3cr3t");
    }

    @Test
    void webhooksMustBeAList() {
        assertThat(problems("notify:\n  webhooks:\n    name: crm\n")).containsExactly(
                "agent.yml:3:5: notify.webhooks: expected a list of webhooks (lines starting with '- name:') but found a mapping");
        assertThat(Set.copyOf(ConfigLoader.acceptedKeys().get("notify.webhooks"))).contains("name", "url", "secret", "events",
                "categories", "domains", "allowInsecure", "timeout");
    }
}
