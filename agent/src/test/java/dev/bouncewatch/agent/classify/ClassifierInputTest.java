package dev.bouncewatch.agent.classify;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ClassifierInputTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            550 5.1.1 <x@y>: Recipient address rejected: User unknown                         | 550 | 5.1.1
            552 1 Requested mail action aborted, mailbox not found                            | 552 | -
            550-5.1.1 The email account that you tried to reach does not exist. 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser | 550 | 5.1.1
            host mx.example.org[192.0.2.1] said: 450 4.2.0 <u@example.org>: Greylisted        | 450 | 4.2.0
            Sorry, I couldn't find any host named cx.libsisimai.com. (#5.1.2)                 | -   | 5.1.2
            connect to mx.example.org[192.0.2.1]:25: Connection timed out                     | -   | -
            421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred - 4.16.55.1       | 421 | 4.7.0
            Delivery failed 20 attempts                                                       | -   | -
            250 2.0.0 Ok: queued as 4Ztq5K0Xz7z9rxM                                           | 250 | 2.0.0
            554                                                                               | 554 | -
            """)
    void extractsReplyAndEnhancedCode(String reply, Integer code, String enhanced) {
        ClassifierInput in = ClassifierInput.fromReply(reply);
        assertThat(in.replyCode()).isEqualTo(code);
        assertThat(in.enhancedCode()).isEqualTo(enhanced);
        assertThat(in.text()).isEqualTo(reply);
        assertThat(in.stage()).isEqualTo(SmtpStage.NONE);
    }

    @Test
    void nullsBecomeEmptyTextAndNoStage() {
        ClassifierInput in = new ClassifierInput(null, " ", null, null, "");
        assertThat(in.text()).isEmpty();
        assertThat(in.stage()).isEqualTo(SmtpStage.NONE);
        assertThat(in.enhancedCode()).isNull();
        assertThat(in.remoteHost()).isNull();
    }

    @Test
    void fromDeliveryResultUsesItsFieldsAndFillsMissingCodesFromTheDiagnostic() {
        DeliveryResult bounced = result(DeliveryStatus.BOUNCED, null, null,
                "host mx.example.org[192.0.2.1] said: 550 5.1.1 <u@example.org>: User unknown", SmtpStage.RCPT);
        ClassifierInput in = ClassifierInput.of(bounced);
        assertThat(in.replyCode()).isEqualTo(550);
        assertThat(in.enhancedCode()).isEqualTo("5.1.1");
        assertThat(in.stage()).isEqualTo(SmtpStage.RCPT);
        assertThat(in.remoteHost()).isEqualTo("mx.example.org");

        DeliveryResult parsed = result(DeliveryStatus.DEFERRED, 451, "4.7.1", "451 4.7.1 Please try again slower",
                SmtpStage.RCPT);
        assertThat(ClassifierInput.of(parsed).enhancedCode()).isEqualTo("4.7.1");
    }

    @Test
    void aDeliveredResultWithoutCodesStillClassifiesAsDelivered() {
        DeliveryResult sent = result(DeliveryStatus.DELIVERED, null, null, "delivered to mailbox", SmtpStage.NONE);
        Classification c = Classifier.load().classify(ClassifierInput.of(sent));
        assertThat(c.category()).isEqualTo("delivered");
        assertThat(c.isBounce()).isFalse();
    }

    private static DeliveryResult result(DeliveryStatus status, Integer code, String dsn, String diagnostic,
                                         SmtpStage stage) {
        return new DeliveryResult(Instant.EPOCH, "mail1", Mta.POSTFIX, "4Ztq5K0Xz7z9rxM", null, "s@example.net",
                "u@example.org", null, "mx.example.org", "192.0.2.1", status, status.wireName(), dsn, code, diagnostic,
                stage, 1.0, 1);
    }
}
