package dev.bouncewatch.agent.notify.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.classify.Action;
import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.classify.Severity;
import dev.bouncewatch.agent.model.DeliveryStatus;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SesBounceTypeTest {

    @ParameterizedTest(name = "{0} {1} hard={2} -> {3}/{4}")
    @CsvSource({
            "BOUNCED, userunknown, true, Permanent, NoEmail",
            "BOUNCED, hostunknown, true, Permanent, NoEmail",
            "BOUNCED, suspend, true, Permanent, General",
            "BOUNCED, suppressed, false, Permanent, Suppressed",
            // the reply is permanent but the address is fine: SES says Transient
            "BOUNCED, mailboxfull, false, Transient, MailboxFull",
            "BOUNCED, mesgtoobig, false, Transient, MessageTooLarge",
            "BOUNCED, spamdetected, false, Transient, ContentRejected",
            "BOUNCED, blocked, false, Transient, General",
            "BOUNCED, authfailure, false, Transient, General",
            "EXPIRED, expired, false, Transient, General",
            "DEFERRED, userunknown, true, Transient, General",
            "BOUNCED, onhold, false, Undetermined, Undetermined",
            "BOUNCED, no-such-category, false, Undetermined, Undetermined",
    })
    void mapsCategoriesOntoSesVocabulary(DeliveryStatus status, String category, boolean hard, String type, String sub) {
        Classification c = new Classification(Severity.PERMANENT, category, hard, Action.INVESTIGATE, List.of(), "r", "a");
        assertThat(SesBounceType.of(status, c)).isEqualTo(new SesBounceType(type, sub));
    }
}
