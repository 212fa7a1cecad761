package dev.bouncewatch.testmta.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A list of {@link TextPattern}s, any of which may match (a list in a matcher is ORed). */
record TextMatcher(List<TextPattern> patterns) {

    TextMatcher {
        patterns = List.copyOf(patterns);
    }

    static TextMatcher of(String... sources) {
        List<TextPattern> list = new ArrayList<>();
        for (String s : sources) {
            list.add(TextPattern.parse(s));
        }
        return new TextMatcher(list);
    }

    boolean matches(String value, Map<String, String> captures) {
        for (TextPattern p : patterns) {
            if (p.matches(value, captures)) {
                return true;
            }
        }
        return false;
    }

    List<String> groupNames() {
        List<String> names = new ArrayList<>();
        patterns.forEach(p -> names.addAll(p.groupNames()));
        return names;
    }

    @Override
    public String toString() {
        return patterns.size() == 1 ? patterns.get(0).source() : patterns.toString();
    }
}
