package dev.bouncewatch.agent.classify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds which of many phrases occur in a text in one pass (Aho-Corasick, compiled to a DFA over the
 * characters the phrases use). The rules hold about a thousand phrases; testing each with
 * {@code contains} cost most of the classifier's time.
 */
final class PhraseIndex {

    private static final int MAX_STATES = Character.MAX_VALUE;

    private final Map<String, Integer> ids;
    /** Character to alphabet index; 0 is every character no phrase uses. */
    private final char[] alphabetOf;
    private final int alphabetSize;
    /** next[state * alphabetSize + symbol] */
    private final char[] next;
    /** Phrase ids ending at each state, suffix matches included. */
    private final int[][] outputs;

    PhraseIndex(List<String> phrases) {
        ids = new LinkedHashMap<>();
        for (String p : phrases) {
            if (!p.isEmpty()) {
                ids.putIfAbsent(p, ids.size());
            }
        }
        alphabetOf = new char[Character.MAX_VALUE + 1];
        int symbols = 1;
        for (String p : ids.keySet()) {
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (alphabetOf[c] == 0) {
                    alphabetOf[c] = (char) symbols++;
                }
            }
        }
        alphabetSize = symbols;

        // trie
        List<int[]> children = new ArrayList<>();
        List<List<Integer>> out = new ArrayList<>();
        children.add(new int[alphabetSize]);
        out.add(new ArrayList<>());
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            int state = 0;
            String p = e.getKey();
            for (int i = 0; i < p.length(); i++) {
                int sym = alphabetOf[p.charAt(i)];
                int child = children.get(state)[sym];
                if (child == 0) {
                    child = children.size();
                    if (child >= MAX_STATES) {
                        throw new IllegalStateException("too many phrases for one index: " + ids.size());
                    }
                    children.add(new int[alphabetSize]);
                    out.add(new ArrayList<>());
                    children.get(state)[sym] = child;
                }
                state = child;
            }
            out.get(state).add(e.getValue());
        }

        // failure links, breadth first, turning the trie into a DFA
        int n = children.size();
        int[] fail = new int[n];
        next = new char[n * alphabetSize];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int sym = 0; sym < alphabetSize; sym++) {
            int child = children.get(0)[sym];
            next[sym] = (char) child;
            if (child != 0) {
                queue.add(child);
            }
        }
        while (!queue.isEmpty()) {
            int state = queue.poll();
            out.get(state).addAll(out.get(fail[state]));
            for (int sym = 0; sym < alphabetSize; sym++) {
                int child = children.get(state)[sym];
                if (child != 0) {
                    fail[child] = next[fail[state] * alphabetSize + sym];
                    next[state * alphabetSize + sym] = (char) child;
                    queue.add(child);
                } else {
                    next[state * alphabetSize + sym] = next[fail[state] * alphabetSize + sym];
                }
            }
        }
        outputs = new int[n][];
        for (int i = 0; i < n; i++) {
            outputs[i] = out.get(i).stream().mapToInt(Integer::intValue).distinct().toArray();
        }
    }

    /** The id of a phrase given at construction, or -1. */
    int id(String phrase) {
        return ids.getOrDefault(phrase, -1);
    }

    int size() {
        return ids.size();
    }

    /** found[id] is true for every phrase that occurs in the text. */
    boolean[] find(String text) {
        boolean[] found = new boolean[ids.size()];
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            state = next[state * alphabetSize + alphabetOf[text.charAt(i)]];
            for (int id : outputs[state]) {
                found[id] = true;
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return "PhraseIndex[" + ids.size() + " phrases, " + outputs.length + " states, " + alphabetSize + " symbols]";
    }

    /** True when any of the phrase ids was found. */
    static boolean any(boolean[] found, int[] ids) {
        for (int id : ids) {
            if (found[id]) {
                return true;
            }
        }
        return false;
    }
}
