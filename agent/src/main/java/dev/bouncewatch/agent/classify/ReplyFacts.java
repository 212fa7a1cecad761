package dev.bouncewatch.agent.classify;

import dev.bouncewatch.agent.model.SmtpStage;

import java.util.Set;

/**
 * One input as the rules see it: codes, the normalised text (lower case, whitespace folded, MTA
 * wrappers removed), the stage (given or read from the wrappers), the remote host and the providers
 * recognised by host or token.
 */
record ReplyFacts(Integer replyCode, String replyCodeText, String enhancedCode, String text,
                  SmtpStage stage, String host, Set<String> providers) {
}
