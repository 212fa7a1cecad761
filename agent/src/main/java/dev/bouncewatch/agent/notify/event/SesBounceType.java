package dev.bouncewatch.agent.notify.event;

import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.model.DeliveryStatus;
import java.util.Optional;

/**
 * Amazon SES's {@code bounceType}/{@code bounceSubType} for a result, so code written for SES bounce
 * notifications reads ours after renaming a few fields. SES's type is about the address, not the
 * message: {@code Permanent} means "remove this recipient", which for us is a hard bounce (the
 * classifier's {@code hardBounce}) or an address already on the suppression list. A message that
 * failed for any other reason (full mailbox, blocklisted IP, expired in the queue) is
 * {@code Transient}; a reply no rule explains is {@code Undetermined}.
 *
 * @param type    {@code Permanent}, {@code Transient} or {@code Undetermined}
 * @param subType one of SES's own values for that type
 */
public record SesBounceType(String type, String subType) {

    public static final String PERMANENT = "Permanent";
    public static final String TRANSIENT = "Transient";
    public static final String UNDETERMINED = "Undetermined";

    public static SesBounceType of(DeliveryStatus status, Classification c) {
        Optional<Category> category = Category.fromWireName(c.category());
        if (category.isEmpty()) {
            return new SesBounceType(UNDETERMINED, UNDETERMINED);
        }
        Category cat = category.get();
        if (cat == Category.SUPPRESSED) {
            return new SesBounceType(PERMANENT, "Suppressed");
        }
        if (c.hardBounce() && status != DeliveryStatus.DEFERRED) {
            return new SesBounceType(PERMANENT, switch (cat) {
                case USERUNKNOWN, HOSTUNKNOWN, HASMOVED, NOTACCEPT -> "NoEmail";
                default -> "General";
            });
        }
        return switch (cat) {
            case ONHOLD, UNDEFINED -> new SesBounceType(UNDETERMINED, UNDETERMINED);
            case MAILBOXFULL -> new SesBounceType(TRANSIENT, "MailboxFull");
            case MESGTOOBIG, EXCEEDLIMIT -> new SesBounceType(TRANSIENT, "MessageTooLarge");
            case SPAMDETECTED, VIRUSDETECTED, CONTENTERROR, NOTCOMPLIANTRFC -> new SesBounceType(TRANSIENT, "ContentRejected");
            default -> new SesBounceType(TRANSIENT, "General");
        };
    }
}
