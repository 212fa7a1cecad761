package dev.bouncewatch.agent.classify;

import dev.bouncewatch.agent.model.SmtpStage;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * When a rule applies. Every given field must hold (AND); inside a field one entry is enough (OR).
 * Empty fields do not constrain. Phrases are lower case and matched as substrings of the normalised
 * text; regexes are searched in it (give a phrase too when a regex needs a cheap pre-filter);
 * {@code unless} phrases veto the rule.
 */
record RuleConditions(Set<String> providers, Set<SmtpStage> stages, Set<SmtpStage> notStages,
                      List<CodePattern> replyCodes, List<CodePattern> enhancedCodes,
                      List<String> phrases, List<Pattern> regexes, List<String> unless) {

    /** The cheap conditions: provider, stage and codes. */
    boolean matchesGates(ReplyFacts f) {
        if (!providers.isEmpty() && !anyProvider(f.providers())) {
            return false;
        }
        if (!stages.isEmpty() && !stages.contains(f.stage())) {
            return false;
        }
        if (notStages.contains(f.stage())) {
            return false;
        }
        if (!replyCodes.isEmpty() && !anyCode(replyCodes, f.replyCodeText())) {
            return false;
        }
        return enhancedCodes.isEmpty() || anyCode(enhancedCodes, f.enhancedCode());
    }

    /** All conditions, testing phrases with {@code contains}; the classifier uses a phrase index instead. */
    boolean matches(ReplyFacts f) {
        if (!matchesGates(f)) {
            return false;
        }
        if (!phrases.isEmpty() && !anyPhrase(f.text())) {
            return false;
        }
        if (!regexes.isEmpty() && !anyRegex(f.text())) {
            return false;
        }
        for (String u : unless) {
            if (f.text().contains(u)) {
                return false;
            }
        }
        return true;
    }

    private boolean anyProvider(Set<String> recognised) {
        if (recognised.isEmpty()) {
            return false;
        }
        for (String p : providers) {
            if (recognised.contains(p)) {
                return true;
            }
        }
        return false;
    }

    private boolean anyPhrase(String text) {
        for (String p : phrases) {
            if (text.contains(p)) {
                return true;
            }
        }
        return false;
    }

    boolean anyRegex(String text) {
        for (Pattern r : regexes) {
            if (r.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyCode(List<CodePattern> patterns, String code) {
        if (code == null) {
            return false;
        }
        for (CodePattern p : patterns) {
            if (p.matches(code)) {
                return true;
            }
        }
        return false;
    }
}
