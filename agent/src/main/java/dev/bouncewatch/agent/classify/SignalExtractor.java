package dev.bouncewatch.agent.classify;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds one kind of signal in a reply: a fixed signal when a phrase occurs ({@code greylisted},
 * {@code blocklist:spamhaus}) or one built from a regex group ({@code provider-code:{1}} gives
 * {@code provider-code:TSS04}). With both, the phrases pre-filter the regex.
 */
record SignalExtractor(String signal, List<String> phrases, Pattern regex, boolean upperCase) {

    void addTo(String lowerText, List<String> out) {
        if (regex != null) {
            if (!phrases.isEmpty() && !anyPhrase(lowerText)) {
                return;
            }
            Matcher m = regex.matcher(lowerText);
            while (m.find()) {
                String value = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
                value = upperCase ? value.toUpperCase(Locale.ROOT) : value;
                addOnce(out, signal.replace("{1}", value));
            }
            return;
        }
        if (anyPhrase(lowerText)) {
            addOnce(out, signal);
        }
    }

    private boolean anyPhrase(String lowerText) {
        for (String p : phrases) {
            if (lowerText.contains(p)) {
                return true;
            }
        }
        return false;
    }

    private static void addOnce(List<String> out, String s) {
        if (!out.contains(s)) {
            out.add(s);
        }
    }
}
