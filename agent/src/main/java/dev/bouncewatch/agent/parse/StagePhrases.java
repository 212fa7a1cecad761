package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.SmtpStage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The phrases that tell which SMTP step a log line is about ("in reply to RCPT TO command",
 * "after end of data", "defer (-44)"), kept as data in stage-phrases.tsv and looked up by kind.
 * Longer phrases win over shorter ones with the same start ("end of DATA" before "DATA").
 */
final class StagePhrases {

    static final String POSTFIX_IN_REPLY_TO = "postfix-in-reply-to";
    static final String POSTFIX_WHILE = "postfix-while";
    static final String POSTFIX_CONTAINS = "postfix-contains";
    static final String EXIM_AFTER = "exim-after";
    static final String EXIM_DEFER = "exim-defer";
    static final String EXIM_CONTAINS = "exim-contains";
    static final String SENDMAIL_STAT = "sendmail-stat";

    private static final String RESOURCE = "stage-phrases.tsv";
    private static final StagePhrases DEFAULT = load();

    private record Phrase(String text, SmtpStage stage) {
    }

    private final Map<String, List<Phrase>> byKind;

    private StagePhrases(Map<String, List<Phrase>> byKind) {
        this.byKind = byKind;
    }

    static StagePhrases defaults() {
        return DEFAULT;
    }

    /** The stage of the first phrase of {@code kind} that {@code text} starts with at {@code from}, or null. */
    SmtpStage prefixOf(String kind, String text, int from) {
        for (Phrase p : byKind.getOrDefault(kind, List.of())) {
            if (text.startsWith(p.text, from)) {
                return p.stage;
            }
        }
        return null;
    }

    /** The stage of the first phrase of {@code kind} found anywhere in {@code text}, or null. */
    SmtpStage containedIn(String kind, String text) {
        for (Phrase p : byKind.getOrDefault(kind, List.of())) {
            if (text.contains(p.text)) {
                return p.stage;
            }
        }
        return null;
    }

    /** The stage listed for exactly {@code text}, or null. */
    SmtpStage exact(String kind, String text) {
        for (Phrase p : byKind.getOrDefault(kind, List.of())) {
            if (p.text.equals(text)) {
                return p.stage;
            }
        }
        return null;
    }

    private static StagePhrases load() {
        Map<String, List<Phrase>> byKind = new HashMap<>();
        TsvRows.readResource(StagePhrases.class, RESOURCE, (lineNo, f) -> {
            if (f.length != 3) {
                throw new IllegalStateException(RESOURCE + " line " + lineNo + ": expected 3 tab-separated fields (kind, phrase, stage), got " + f.length);
            }
            SmtpStage stage;
            try {
                stage = SmtpStage.fromWireName(f[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(RESOURCE + " line " + lineNo + ": field stage: unknown stage '" + f[2] + "'");
            }
            byKind.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new Phrase(f[1], stage));
        });
        byKind.values().forEach(list -> list.sort(Comparator.comparingInt((Phrase p) -> p.text.length()).reversed()));
        Map<String, List<Phrase>> frozen = new HashMap<>();
        byKind.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new StagePhrases(Map.copyOf(frozen));
    }
}
