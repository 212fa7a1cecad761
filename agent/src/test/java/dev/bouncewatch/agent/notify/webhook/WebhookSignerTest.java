package dev.bouncewatch.agent.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    // The Standard Webhooks spec's published test vector (spec/standard-webhooks.md, libraries' tests).
    static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long SPEC_TIMESTAMP = 1614265330L;
    static final String SPEC_BODY = "{\"test\": 2432232314}";
    static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    static final String OTHER_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    @Test
    void reproducesTheSpecTestVector() {
        WebhookSigner signer = new WebhookSigner(List.of(WebhookSecret.parse(SPEC_SECRET)));
        assertThat(signer.signature(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)).isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void aDifferentBodyIdOrTimestampGivesAnotherSignature() {
        WebhookSigner signer = new WebhookSigner(List.of(WebhookSecret.parse(SPEC_SECRET)));
        assertThat(signer.signature(SPEC_ID, SPEC_TIMESTAMP, "{\"test\": 2432232315}")).isNotEqualTo(SPEC_SIGNATURE);
        assertThat(signer.signature(SPEC_ID, SPEC_TIMESTAMP + 1, SPEC_BODY)).isNotEqualTo(SPEC_SIGNATURE);
        assertThat(signer.signature("msg_other", SPEC_TIMESTAMP, SPEC_BODY)).isNotEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void rotationSendsOneSignaturePerSecretAndTheOfficialVerifierAcceptsEither() throws Exception {
        WebhookSigner signer = new WebhookSigner(List.of(WebhookSecret.parse(OTHER_SECRET), WebhookSecret.parse(SPEC_SECRET)));
        long now = Instant.now().getEpochSecond();
        String body = "{\"type\":\"webhook.test\",\"data\":{\"ü\":\"ñ ✓\"}}";
        String header = signer.signature("evt_abc", now, body);
        assertThat(header.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));

        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of("evt_abc"),
                "webhook-timestamp", List.of(Long.toString(now)),
                "webhook-signature", List.of(header));
        // a receiver still on the old secret and one already on the new one both accept
        assertThatCode(() -> new Webhook(SPEC_SECRET).verify(body, headers)).doesNotThrowAnyException();
        assertThatCode(() -> new Webhook(OTHER_SECRET).verify(body, headers)).doesNotThrowAnyException();
        // a receiver with an unrelated secret or a tampered body does not
        String unrelated = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> new Webhook(unrelated).verify(body, headers)).isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(SPEC_SECRET).verify(body + " ", headers))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void signsTheExactBytesSoNonAsciiBodiesVerify() throws Exception {
        WebhookSigner signer = new WebhookSigner(List.of(WebhookSecret.parse(SPEC_SECRET)));
        long now = Instant.now().getEpochSecond();
        String body = "{\"diagnosticCode\":\"550 Адрес не существует 🚫\"}";
        String header = signer.signature("evt_x", now, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        new Webhook(SPEC_SECRET).verify(body, Map.of("webhook-id", List.of("evt_x"),
                "webhook-timestamp", List.of(Long.toString(now)), "webhook-signature", List.of(header)));
    }

    @Test
    void refusesIdsWithADot() {
        WebhookSigner signer = new WebhookSigner(List.of(WebhookSecret.parse(SPEC_SECRET)));
        assertThatThrownBy(() -> signer.signature("a.b", 1, "{}")).hasMessageContaining("'.'");
    }

    @Test
    void badSecretsAreExplainedWithoutBeingShown() {
        String plain = "hunter2-my-password-is-long-enough";
        assertThatThrownBy(() -> WebhookSecret.parse(plain))
                .hasMessageContaining("whsec_").hasMessageNotContaining(plain).hasMessageContaining("/dev/urandom");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_***not base64***"))
                .hasMessageContaining("base64").hasMessageNotContaining("not base64");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_c2hvcnQ=")).hasMessageContaining("5 bytes");
        assertThat(WebhookSecret.parse(SPEC_SECRET).toString()).doesNotContain("MfKQ9r8");
        assertThat(WebhookSecret.parse("  " + SPEC_SECRET + "\n")).isEqualTo(WebhookSecret.parse(SPEC_SECRET));
    }
}
