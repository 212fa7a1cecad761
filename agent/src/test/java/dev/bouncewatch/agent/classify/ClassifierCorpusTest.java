package dev.bouncewatch.agent.classify;

import dev.bouncewatch.agent.model.SmtpStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quality bar: every row of the labelled corpus (950 real replies, see
 * research/classification.md section 7) is classified and compared with its expected category and
 * severity class. The stage comes from the {@code (cmd=...)} hint where the source has one, as a
 * parser would give it; nothing else of the source column is used.
 */
class ClassifierCorpusTest {

    private static final Pattern CMD = Pattern.compile("\\(cmd=([A-Z]+)\\)");

    record Row(int line, Integer code, String esc, String text, String category, String severity, SmtpStage stage) {
    }

    private static List<Row> rows;
    private static Classifier classifier;

    @BeforeAll
    static void load() throws IOException {
        classifier = Classifier.load();
        rows = new ArrayList<>();
        try (InputStream in = ClassifierCorpusTest.class.getResourceAsStream("/corpus/bounce-replies.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String[] f = lines[i].split("\t", -1);
                Matcher m = CMD.matcher(f[5]);
                SmtpStage stage = m.find() ? stageOf(m.group(1)) : SmtpStage.NONE;
                rows.add(new Row(i + 1, f[0].isEmpty() ? null : Integer.valueOf(f[0]), f[1], f[2], f[3], f[4], stage));
            }
        }
    }

    static SmtpStage stageOf(String cmd) {
        return switch (cmd) {
            case "EHLO", "HELO" -> SmtpStage.HELO;
            case "MAIL" -> SmtpStage.MAIL;
            case "RCPT" -> SmtpStage.RCPT;
            case "DATA" -> SmtpStage.DATA;
            default -> SmtpStage.NONE;
        };
    }

    @Test
    void agreesWithTheLabelledCorpus() {
        assertThat(rows).hasSize(950);
        int categoryHits = 0;
        int severityHits = 0;
        Map<String, Integer> misses = new TreeMap<>();
        Map<String, int[]> perCategory = new TreeMap<>();
        StringBuilder missLines = new StringBuilder();
        java.util.Set<String> rulesUsed = new java.util.HashSet<>();
        for (Row r : rows) {
            Classification c = classifier.classify(new ClassifierInput(r.code(), r.esc(), r.text(), r.stage(), null));
            rulesUsed.add(c.ruleId());
            int[] counts = perCategory.computeIfAbsent(r.category(), k -> new int[2]);
            counts[1]++;
            if (c.category().equals(r.category())) {
                categoryHits++;
                counts[0]++;
            } else {
                misses.merge(r.category() + " -> " + c.category(), 1, Integer::sum);
                missLines.append(String.format("  line %d: %s -> %s [%s] %s %s %s%n", r.line(), r.category(),
                        c.category(), c.ruleId(), r.code(), r.esc(), abbreviate(r.text())));
            }
            if (c.severity().wireName().equals(r.severity())) {
                severityHits++;
            } else {
                missLines.append(String.format("  line %d: severity %s -> %s %s %s %s%n", r.line(), r.severity(),
                        c.severity().wireName(), r.code(), r.esc(), abbreviate(r.text())));
            }
        }
        double categoryAgreement = 100.0 * categoryHits / rows.size();
        double severityAgreement = 100.0 * severityHits / rows.size();
        StringBuilder report = new StringBuilder();
        report.append(String.format("corpus: %d rows, category agreement %.1f%% (%d), severity agreement %.1f%% (%d)%n",
                rows.size(), categoryAgreement, categoryHits, severityAgreement, severityHits));
        report.append("misses (expected -> got):\n");
        misses.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> report.append(String.format("  %3d  %s%n", e.getValue(), e.getKey())));
        report.append("recall per category:\n");
        perCategory.forEach((k, v) -> report.append(String.format("  %-16s %3d/%3d  %5.1f%%%n", k, v[0], v[1],
                100.0 * v[0] / v[1])));
        if (Boolean.getBoolean("corpus.verbose")) {
            report.append(missLines);
            report.append("rules no corpus row reaches (covered by ClassifierRulesTest or kept for real traffic):\n  ");
            report.append(String.join(" ", classifier.ruleIds().stream().filter(id -> !rulesUsed.contains(id)).toList()));
            report.append('\n');
        }
        System.out.print(report);

        assertThat(severityAgreement).as("severity agreement").isGreaterThanOrEqualTo(99.0);
        assertThat(categoryAgreement).as("category agreement").isGreaterThan(90.0);
    }

    @Test
    void deliveredRepliesNeverComeOutAsBounces() {
        for (Row r : rows) {
            if (r.category().equals("delivered")) {
                Classification c = classifier.classify(new ClassifierInput(r.code(), r.esc(), r.text(), r.stage(), null));
                assertThat(c.isBounce()).as("line %d", r.line()).isFalse();
            }
        }
        // the corpus has no delivered rows, so real success replies are checked here
        for (String ok : List.of("250 2.0.0 Ok: queued as 4Ztq5K0Xz7z9rxM",
                "250 2.0.0 OK  1732870000 d9443c01a7336-2150c3e0a1bsi1234567b3.89 - gsmtp",
                "250 2.6.0 <20241129.abc@example.org> [InternalId=123] Queued mail for delivery",
                "250 ok 1732870000 qp 12345",
                "250 Message accepted for delivery",
                "250 2.1.5 Ok, but the mailbox is full warning was logged")) {
            Classification c = classifier.classify(ClassifierInput.fromReply(ok));
            assertThat(c.category()).as(ok).isEqualTo("delivered");
            assertThat(c.severity()).as(ok).isEqualTo(Severity.NONE);
            assertThat(c.hardBounce()).isFalse();
            assertThat(c.action()).isEqualTo(Action.NONE);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
