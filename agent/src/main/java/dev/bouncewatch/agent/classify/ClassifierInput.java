package dev.bouncewatch.agent.classify;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.SmtpStage;

import java.util.Objects;

/**
 * What the classifier looks at: the remote reply's codes and text, the SMTP step it answered and
 * the host we talked to. Any field may be missing (null); the stage defaults to NONE.
 *
 * @param replyCode    three-digit SMTP reply code, e.g. 550
 * @param enhancedCode RFC 3463 code, e.g. {@code 5.1.1}
 * @param text         the reply text or the MTA's explanation, as logged
 * @param stage        the SMTP step the reply answered; NONE when unknown
 * @param remoteHost   the MX or relay host name we talked to, used to pick provider rules
 */
public record ClassifierInput(Integer replyCode, String enhancedCode, String text, SmtpStage stage,
                              String remoteHost) {

    public ClassifierInput {
        text = Objects.requireNonNullElse(text, "");
        stage = Objects.requireNonNullElse(stage, SmtpStage.NONE);
        enhancedCode = blankToNull(enhancedCode);
        remoteHost = blankToNull(remoteHost);
    }

    /**
     * From a raw reply such as {@code 550 5.1.1 <x@y>: Recipient address rejected: User unknown}
     * or a whole MTA diagnostic ({@code host mx[1.2.3.4] said: 550-5.1.1 ... 550 5.1.1 ...}):
     * the codes are taken from the text.
     */
    public static ClassifierInput fromReply(String reply, SmtpStage stage, String remoteHost) {
        ReplyCodes codes = ReplyCodes.find(reply);
        return new ClassifierInput(codes.replyCode(), codes.enhancedCode(), reply, stage, remoteHost);
    }

    public static ClassifierInput fromReply(String reply) {
        return fromReply(reply, SmtpStage.NONE, null);
    }

    /**
     * From a parsed delivery result. Codes the parser did not fill in are looked for in the
     * diagnostic. A delivered result keeps its 2xx code so it classifies as delivered; MTAs invent a
     * DSN like {@code 2.0.0} for it.
     */
    public static ClassifierInput of(DeliveryResult result) {
        Integer code = result.replyCode();
        String dsn = result.dsn();
        if (code == null || dsn == null) {
            ReplyCodes found = ReplyCodes.find(result.diagnostic());
            code = code != null ? code : found.replyCode();
            dsn = dsn != null ? dsn : found.enhancedCode();
        }
        if (result.status() == DeliveryStatus.DELIVERED && code == null && dsn == null) {
            dsn = "2.0.0";
        }
        return new ClassifierInput(code, dsn, result.diagnostic(), result.stage(), result.relay());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
