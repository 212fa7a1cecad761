package dev.bouncewatch.testmta.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogEncoderTest {

    private static final long T = Instant.parse("2026-11-29T14:03:07.045Z").toEpochMilli();
    private static final String LOGGER = "dev.bouncewatch.agent.run.Agent";

    private static LoggingEvent event(Level level, String message) {
        return event(level, message, Map.of());
    }

    private static LoggingEvent event(Level level, String message, Map<String, String> mdc) {
        LoggingEvent e = new LoggingEvent();
        e.setLevel(level);
        e.setLoggerName(LOGGER);
        e.setThreadName("writer");
        e.setTimeStamp(T);
        e.setMessage(message);
        e.setMDCPropertyMap(mdc);
        return e;
    }

    private static String encode(String format, boolean journal, LoggingEvent event) {
        LogEncoder encoder = new LogEncoder();
        encoder.setFormat(format);
        encoder.setStderrIsJournal(journal);
        encoder.setZone(ZoneOffset.ofHours(1));
        encoder.start();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    /** A two-level chain with fixed frames, so the exact output can be written down. */
    private static Throwable failure() {
        IllegalStateException cause = new IllegalStateException("disk full\nsecond line");
        cause.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.sqlite.DB", "exec", "DB.java", 10),
            new StackTraceElement("dev.bouncewatch.agent.run.Pipeline", "commit", "Pipeline.java", 200),
        });
        RuntimeException top = new RuntimeException("commit failed", cause);
        top.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("dev.bouncewatch.agent.run.Pipeline", "run", "Pipeline.java", 120),
            new StackTraceElement("dev.bouncewatch.agent.run.Pipeline", "commit", "Pipeline.java", 200),
        });
        return top;
    }

    @Test
    void textHasLocalTimeLevelAbbreviatedLoggerAndMessage() {
        assertThat(encode("text", false, event(Level.INFO, "ready")))
                .isEqualTo("15:03:07.045 INFO  d.b.agent.run.Agent - ready\n");
        assertThat(encode("text", false, event(Level.ERROR, "x"))).startsWith("15:03:07.045 ERROR d.b.agent.run.Agent - x");
    }

    @Test
    void journalHasPriorityPrefixAndNoTime() {
        assertThat(encode("journal", false, event(Level.ERROR, "cannot start"))).isEqualTo("<3>ERROR d.b.agent.run.Agent - cannot start\n");
        assertThat(encode("journal", false, event(Level.WARN, "lag"))).isEqualTo("<4>WARN  d.b.agent.run.Agent - lag\n");
        assertThat(encode("journal", false, event(Level.INFO, "ready"))).isEqualTo("<6>INFO  d.b.agent.run.Agent - ready\n");
        assertThat(encode("journal", false, event(Level.DEBUG, "busy"))).isEqualTo("<7>DEBUG d.b.agent.run.Agent - busy\n");
        assertThat(encode("journal", false, event(Level.TRACE, "t"))).isEqualTo("<7>TRACE d.b.agent.run.Agent - t\n");
    }

    @Test
    void autoPicksJournalOnlyWhenStderrIsTheJournal() {
        assertThat(encode("auto", true, event(Level.INFO, "a"))).isEqualTo("<6>INFO  d.b.agent.run.Agent - a\n");
        assertThat(encode("", false, event(Level.INFO, "a"))).isEqualTo("15:03:07.045 INFO  d.b.agent.run.Agent - a\n");
        // text asked for explicitly under the journal keeps its time but still tells journald the priority
        assertThat(encode("text", true, event(Level.WARN, "a"))).isEqualTo("<4>15:03:07.045 WARN  d.b.agent.run.Agent - a\n");
    }

    @Test
    void aRemoteReplyCannotForgeALineOrRepaintTheTerminal() {
        String reply = "550 no such user\r\n<3>ERROR d.b.agent.run.Agent - forged\n\u001b[2J\u001b]0;title\u0007 \u0085 \u2028 \u202e";
        String journal = encode("journal", false, event(Level.INFO, "reply: " + reply));
        assertThat(journal).isEqualTo("<6>INFO  d.b.agent.run.Agent - reply: 550 no such user\\r\\n<3>ERROR d.b.agent.run.Agent"
                + " - forged\\n\\x1b[2J\\x1b]0;title\\x07 \\x85 \\u2028 \\u202e\n");
        String text = encode("text", false, event(Level.INFO, reply));
        assertThat(text.split("\n", -1)).hasSize(2).endsWith("");
        assertThat(text).doesNotContain("\u001b", "\r", "\u0085", "\u2028");
    }

    @Test
    void unicodeTextAndTabsStayAsTheyAre() {
        assertThat(encode("journal", false, event(Level.INFO, "Empfänger \t unbekannt 📫 日本")))
                .isEqualTo("<6>INFO  d.b.agent.run.Agent - Empfänger \t unbekannt 📫 日本\n");
        assertThat(encode("journal", false, event(Level.INFO, "lone \ud800 surrogate")))
                .isEqualTo("<6>INFO  d.b.agent.run.Agent - lone \\ud800 surrogate\n");
    }

    @Test
    void everyStackTraceLineCarriesThePriorityInTheJournal() {
        LoggingEvent e = event(Level.ERROR, "cannot commit");
        e.setThrowableProxy(new ThrowableProxy(failure()));
        assertThat(encode("journal", false, e)).isEqualTo("""
                <3>ERROR d.b.agent.run.Agent - cannot commit
                <3>java.lang.RuntimeException: commit failed
                <3>\tat dev.bouncewatch.agent.run.Pipeline.run(Pipeline.java:120)
                <3>\tat dev.bouncewatch.agent.run.Pipeline.commit(Pipeline.java:200)
                <3>Caused by: java.lang.IllegalStateException: disk full\\nsecond line
                <3>\tat org.sqlite.DB.exec(DB.java:10)
                <3>\t... 1 common frames omitted
                """);
    }

    @Test
    void textStackTraceFollowsTheLineAsJavaPrintsIt() {
        LoggingEvent e = event(Level.WARN, "retrying");
        Throwable t = failure();
        t.addSuppressed(new java.io.IOException("close failed"));
        t.getSuppressed()[0].setStackTrace(new StackTraceElement[] {new StackTraceElement("A", "b", "A.java", 1)});
        e.setThrowableProxy(new ThrowableProxy(t));
        assertThat(encode("text", false, e)).isEqualTo("""
                15:03:07.045 WARN  d.b.agent.run.Agent - retrying
                java.lang.RuntimeException: commit failed
                \tat dev.bouncewatch.agent.run.Pipeline.run(Pipeline.java:120)
                \tat dev.bouncewatch.agent.run.Pipeline.commit(Pipeline.java:200)
                \tSuppressed: java.io.IOException: close failed
                \t\tat A.b(A.java:1)
                Caused by: java.lang.IllegalStateException: disk full\\nsecond line
                \tat org.sqlite.DB.exec(DB.java:10)
                \t... 1 common frames omitted
                """);
    }

    @Test
    void aCyclicCauseChainEnds() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        a.setStackTrace(new StackTraceElement[0]);
        b.setStackTrace(new StackTraceElement[0]);
        LoggingEvent e = event(Level.ERROR, "loop");
        e.setThrowableProxy(new ThrowableProxy(a));
        assertThat(encode("journal", false, e)).isEqualTo("""
                <3>ERROR d.b.agent.run.Agent - loop
                <3>java.lang.Exception: a
                <3>Caused by: java.lang.Exception: b
                <3>Caused by: [circular reference: java.lang.Exception: a]
                """);
    }

    @Test
    void aHugeMessageIsCutBelowJournaldsLineLimit() {
        String encoded = encode("journal", false, event(Level.WARN, "x".repeat(100_000)));
        assertThat(encoded).hasSizeLessThan(16_200).endsWith("... (84000 more characters)\n").startsWith("<4>WARN ");
        assertThat(encode("text", false, event(Level.WARN, "x".repeat(100_000)))).hasSizeGreaterThan(100_000);
    }

    @Test
    void jsonIsOneObjectPerLineWithIsoUtcTimeAndMdcAndKeyValues() throws IOException {
        LoggingEvent e = event(Level.WARN, "reply \"550\"\r\nforged\u001b[31m",
                Map.of("source", "file:/var/log/mail.log", "level", "not the level"));
        e.setKeyValuePairs(List.of(new KeyValuePair("lines", 42), new KeyValuePair("ok", true), new KeyValuePair("who", null)));
        e.setThrowableProxy(new ThrowableProxy(failure()));
        String line = encode("json", false, e);
        assertThat(line).endsWith("}\n").doesNotContain("\r", "\u001b");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(line).startsWith("{\"timestamp\":\"2026-11-29T14:03:07.045Z\",\"level\":\"WARN\","
                + "\"logger\":\"dev.bouncewatch.agent.run.Agent\",\"thread\":\"writer\",\"message\":\"reply \\\"550\\\"\\r\\nforged\\u001B[31m\",");
        JsonNode n = new ObjectMapper().readTree(line);
        assertThat(n.path("message").asText()).isEqualTo("reply \"550\"\r\nforged\u001b[31m");
        assertThat(n.path("exception").asText()).startsWith("java.lang.RuntimeException: commit failed\n\tat dev.bouncewatch")
                .contains("\nCaused by: java.lang.IllegalStateException: disk full\\nsecond line\n");
        assertThat(n.path("source").asText()).isEqualTo("file:/var/log/mail.log");
        assertThat(n.path("kv.level").asText()).isEqualTo("not the level");
        assertThat(n.path("level").asText()).isEqualTo("WARN");
        assertThat(n.path("lines").isInt()).isTrue();
        assertThat(n.path("lines").asInt()).isEqualTo(42);
        assertThat(n.path("ok").asBoolean()).isTrue();
        assertThat(n.path("who").isNull()).isTrue();
    }

    @Test
    void jsonWithoutExceptionHasNoExceptionFieldAndUnderTheJournalAPriority() {
        String line = encode("json", true, event(Level.ERROR, "x"));
        assertThat(line).isEqualTo("<3>{\"timestamp\":\"2026-11-29T14:03:07.045Z\",\"level\":\"ERROR\","
                + "\"logger\":\"dev.bouncewatch.agent.run.Agent\",\"thread\":\"writer\",\"message\":\"x\"}\n");
    }

    @Test
    void anUnknownFormatFallsBackWithOneWarningLineAsHeader() {
        LogEncoder encoder = new LogEncoder();
        encoder.setFormat("XML\n\u001b[1m");
        encoder.setStderrIsJournal(true);
        encoder.start();
        assertThat(encoder.chosenFormat()).isEqualTo(LogFormat.JOURNAL);
        assertThat(new String(encoder.headerBytes(), StandardCharsets.UTF_8)).isEqualTo("<4>WARN  d.b.t.l.LogEncoder - "
                + "BOUNCEWATCH_LOG_FORMAT=XML\\n\\x1b[1m is not one of text, journal, json, auto; logging as journal"
                + " (stderr is the journal)\n");
        LogEncoder fine = new LogEncoder();
        fine.setFormat(" JSON ");
        fine.setStderrIsJournal(false);
        fine.start();
        assertThat(fine.chosenFormat()).isEqualTo(LogFormat.JSON);
        assertThat(fine.headerBytes()).isNull();
        LogEncoder json = new LogEncoder();
        json.setFormat("jsn");
        json.setStderrIsJournal(false);
        json.start();
        assertThat(json.chosenFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(new String(json.headerBytes(), StandardCharsets.UTF_8))
                .endsWith(" WARN  d.b.t.l.LogEncoder - BOUNCEWATCH_LOG_FORMAT=jsn is not one of text, journal, json, auto; logging as text\n");
    }
}
