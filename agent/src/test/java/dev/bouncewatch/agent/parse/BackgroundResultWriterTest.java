package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackgroundResultWriterTest {

    private static DeliveryResult result(int i) {
        return new DeliveryResult(null, "mx", Mta.POSTFIX, "Q" + i, null, null, "r" + i + "@example.com", null, null, null,
                DeliveryStatus.DELIVERED, "sent", "2.0.0", 250, "250 ok", null, null, 1);
    }

    @Test
    void everyResultIsWrittenInOrder() throws IOException {
        StringWriter out = new StringWriter();
        try (BackgroundResultWriter writer = new BackgroundResultWriter(new ResultWriter(out, OutputFormat.CSV))) {
            for (int i = 0; i < 10_000; i++) {
                writer.write(result(i));
            }
        }
        String[] lines = out.toString().split("\r\n");
        assertThat(lines).hasSize(10_001);
        assertThat(lines[1]).contains(",Q0,");
        assertThat(lines[10_000]).contains(",Q9999,");
    }

    @Test
    void aWriteErrorReachesTheCaller() throws IOException {
        Writer broken = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        BackgroundResultWriter writer = new BackgroundResultWriter(new ResultWriter(broken, OutputFormat.CSV));
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1_000_000; i++) {
                writer.write(result(i));
            }
            writer.close();
        }).isInstanceOf(IOException.class).hasMessageContaining("Broken pipe");
    }
}
