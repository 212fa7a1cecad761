package dev.bouncewatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.http.AgentStatus.SourceStatus;
import dev.bouncewatch.agent.source.SourceHealth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    private static SourceStatus source(String id, SourceHealth.State state, long lines, long results) {
        SourceHealth health = new SourceHealth(id, "file", id, state, 0L, null, lines, 0, null);
        return new SourceStatus(health, lines, results, null, null, 0, Map.of(), 0);
    }

    @Test
    void countsLinesAndResultsOfEverySource() {
        assertThat(StatusLine.of(List.of(source("file:/var/log/mail.log", SourceHealth.State.RUNNING, 12_345, 678),
                source("sink:127.0.0.1:2525", SourceHealth.State.RUNNING, 0, 1))))
                .isEqualTo("reading 2 sources; 12,345 lines, 679 results since start");
    }

    @Test
    void namesFailingAndWaitingSources() {
        assertThat(StatusLine.of(List.of(source("file:/var/log/mail.log", SourceHealth.State.FAILING, 0, 0),
                source("file:/var/log/maillog", SourceHealth.State.WAITING, 1, 1))))
                .isEqualTo("reading 2 sources; FAILING: file:/var/log/mail.log (see /healthz); waiting for"
                        + " file:/var/log/maillog; 1 line, 1 result since start");
    }
}
