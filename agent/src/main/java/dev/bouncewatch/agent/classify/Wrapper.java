package dev.bouncewatch.agent.classify;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Words an MTA wraps around a remote reply ({@code host mx[1.2.3.4] said:}), cut before the rules
 * run. The phrases are a cheap pre-filter: the regex runs only when one of them occurs.
 */
record Wrapper(List<String> phrases, Pattern regex) {

    String strip(String text) {
        for (String p : phrases) {
            if (text.contains(p)) {
                return regex.matcher(text).replaceAll(" ");
            }
        }
        return text;
    }
}
