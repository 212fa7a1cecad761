package dev.bouncewatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.testmta.yaml.YamlProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code notify.slack}, {@code notify.alerts} and {@code notify.digest}: values, defaults and every error with its place. */
class SlackAlertsDigestConfigTest {

    private static final String HOOK = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX";

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.of("SLACK_URL", HOOK, "PLAIN_URL", "http://127.0.0.1:8080/hook")::get);

    private NotifyConfig parse(String yaml) throws ConfigException {
        return loader.parse(yaml, "agent.yml", dir).config().notifications();
    }

    private List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(() -> parse(yaml), ConfigException.class);
        assertThat(e).as("expected problems in:%n%s", yaml).isNotNull();
        return e.problems().stream().map(YamlProblem::toString).toList();
    }

    @Test
    void defaultsWithoutNotifySection() throws ConfigException {
        NotifyConfig n = parse("");
        assertThat(n.slack()).isEmpty();
        assertThat(n.alerts()).isEqualTo(AlertsConfig.defaults());
        assertThat(n.digest().time()).isEqualTo(LocalTime.of(8, 0));
        assertThat(n.digest().enabled()).isTrue();
    }

    @Test
    void everySlackKey() throws ConfigException {
        NotifyConfig n = parse("""
                notify:
                  slack:
                    - name: ops-slack
                      url: {env: SLACK_URL}
                      events: [alert.firing, alert.resolved]
                      minSeverity: critical
                      timeout: 10s
                    - name: local
                      url: {env: PLAIN_URL}
                      allowInsecure: true
                """);
        assertThat(n.slack()).hasSize(2);
        SlackConfig s = n.slack().get(0);
        assertThat(s.name()).isEqualTo("ops-slack");
        assertThat(s.url().reveal()).isEqualTo(HOOK);
        assertThat(s.url().origin()).isEqualTo("env:SLACK_URL");
        assertThat(s.events()).containsExactlyInAnyOrder(EventType.ALERT_FIRING, EventType.ALERT_RESOLVED);
        assertThat(s.minSeverity()).isEqualTo(AlertSeverity.CRITICAL);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.toString()).doesNotContain("SECRET");
        assertThat(n.slack().get(1).allowInsecure()).isTrue();
        assertThat(n.destinationNames()).containsExactly("console", "ops-slack", "local");
    }

    @Test
    void slackMistakesNameTheLineAndNeverTheUrl() {
        List<String> p = problems("""
                notify:
                  slack:
                    - name: a
                      url: {env: PLAIN_URL}
                    - name: a
                      url: "not a url at all"
                      events: [message.bounced, alert.nonsense]
                      minSeverity: info
                    - url: https://hooks.slack.com/services/T/B/Y
                      chanel: "#ops"
                    - name: console
                      url: ftp://x.example/y
                """);
        assertThat(p).containsExactly(
                "agent.yml:4:12: notify.slack[0].url: a plain http URL (from env:PLAIN_URL; the value is not shown: it is a secret);"
                        + " use https, or set allowInsecure: true for a receiver on loopback or in a test",
                "agent.yml:5:13: notify.slack[1].name: the destination name 'a' is already used on line 3; names must be unique across"
                        + " console, webhooks and slack",
                "agent.yml:6:12: notify.slack[1].url: not a valid URL (from config; the value is not shown: it is a secret)",
                "agent.yml:7:16: notify.slack[1].events: 'message.bounced' is not an event Slack takes; expected some of: "
                        + "alert.firing, alert.resolved, report.digest, agent.health, webhook.test (Slack never gets one message per"
                        + " delivery result)",
                "agent.yml:7:33: notify.slack[1].events: 'alert.nonsense' is not an event Slack takes; expected some of: "
                        + "alert.firing, alert.resolved, report.digest, agent.health, webhook.test",
                "agent.yml:8:20: notify.slack[1].minSeverity: unknown value 'info'; expected one of: warning, critical",
                "agent.yml:9:7: notify.slack[2].name: missing; expected a name for this destination, e.g. ops-slack",
                "agent.yml:10:7: notify.slack[2].chanel: unknown key 'chanel'; expected one of: name, url, allowInsecure, events,"
                        + " minSeverity, timeout",
                "agent.yml:11:13: notify.slack[3].name: the destination name 'console' is already used; names must be unique"
                        + " across console, webhooks and slack",
                "agent.yml:12:12: notify.slack[3].url: expected an https:// URL (from config; the value is not shown: it is a secret)");
        assertThat(String.join("\n", p)).doesNotContain("127.0.0.1", "not a url at all", "ftp://");
    }

    @Test
    void alertRulesAndTimers() throws ConfigException {
        AlertsConfig a = parse("""
                notify:
                  alerts:
                    groupWait: 1m
                    repeatInterval: 12h
                    rules:
                      bounce_rate_sender: {warning: 1.5%, critical: 0.04, minVolume: 500}
                      blocklisted: {enabled: false}
                      deferral_spike: {window: 30m, factor: 2.5}
                      agent_health: {sourceLag: 10m}
                """).alerts();
        assertThat(a.groupWait()).isEqualTo(Duration.ofMinutes(1));
        assertThat(a.groupInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(a.repeatInterval()).isEqualTo(Duration.ofHours(12));
        assertThat(a.senderBounceRate()).isEqualTo(new AlertsConfig.BounceRate(true, Duration.ofHours(1), 0.015, 0.04, 500));
        assertThat(a.blocklisted().enabled()).isFalse();
        assertThat(a.blocklisted().window()).isEqualTo(Duration.ofHours(1));
        assertThat(a.deferralSpike().window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(a.deferralSpike().factor()).isEqualTo(2.5);
        assertThat(a.deferralSpike().minRate()).isEqualTo(0.20);
        assertThat(a.agentHealth().sourceLag()).isEqualTo(Duration.ofMinutes(10));
        assertThat(a.recipientBounceRate()).isEqualTo(AlertsConfig.defaults().recipientBounceRate());
    }

    @Test
    void alertMistakes() {
        assertThat(problems("""
                notify:
                  alerts:
                    groupInterval: 1h
                    repeatInterval: 30m
                    rules:
                      bounce_rate: {warning: 2%}
                      bounce_rate_sender: {warning: 8%, critical: 5%, minVolume: 0}
                      deferral_spike: {factor: 0.5, minRate: 150%, window: 2s}
                """)).containsExactly(
                "agent.yml:4:21: notify.alerts.repeatInterval: repeatInterval (30m) must not be shorter than groupInterval (1h)",
                "agent.yml:6:7: notify.alerts.rules.bounce_rate: unknown key 'bounce_rate'; expected one of: bounce_rate_sender,"
                        + " bounce_rate_recipient, blocklisted, deferral_spike, auth_failure, suppression_surge, agent_health",
                "agent.yml:7:51: notify.alerts.rules.bounce_rate_sender.critical: critical must not be below warning (8.0%)",
                "agent.yml:7:66: notify.alerts.rules.bounce_rate_sender.minVolume: expected a whole number from 1 to 100000000 but found '0'",
                "agent.yml:8:32: notify.alerts.rules.deferral_spike.factor: expected a factor from 1 to 1000, like 3, got '0.5'",
                "agent.yml:8:46: notify.alerts.rules.deferral_spike.minRate: expected a rate above 0 and at most 100%, like 2% or"
                        + " 0.02, got '150%'",
                "agent.yml:8:60: notify.alerts.rules.deferral_spike.window: expected a duration from 1m to 7d, got '2s'");
    }

    @Test
    void digestTimeAndZone() throws ConfigException {
        DigestConfig d = parse("notify:\n  digest: {time: \"6:30\", timezone: America/New_York}\n").digest();
        assertThat(d.time()).isEqualTo(LocalTime.of(6, 30));
        assertThat(d.timezone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(parse("notify:\n  digest: {enabled: false}\n").digest().enabled()).isFalse();
        assertThat(problems("notify:\n  digest: {time: 8am, timezone: Mars/Olympus}\n")).containsExactly(
                "agent.yml:2:18: notify.digest.time: expected a 24-hour time like 08:00, got '8am'",
                "agent.yml:2:33: notify.digest.timezone: unknown time zone 'Mars/Olympus'; use an IANA name like Europe/Berlin,"
                        + " America/New_York or UTC");
        assertThat(Set.of(DigestConfigReader.KEYS.toArray())).contains("time", "timezone", "enabled");
    }
}
