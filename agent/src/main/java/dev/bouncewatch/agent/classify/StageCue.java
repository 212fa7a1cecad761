package dev.bouncewatch.agent.classify;

import dev.bouncewatch.agent.model.SmtpStage;

import java.util.List;

/**
 * Words MTAs wrap around a reply that tell which SMTP step it answered, used when the input does
 * not say: Postfix {@code (in reply to RCPT TO command)}, Exim {@code after RCPT TO:}, qmail
 * {@code does not like recipient}.
 */
record StageCue(SmtpStage stage, List<String> phrases) {

    boolean matches(String lowerText) {
        for (String p : phrases) {
            if (lowerText.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
