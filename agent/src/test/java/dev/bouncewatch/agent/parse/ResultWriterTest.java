package dev.bouncewatch.agent.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ResultWriterTest {

    private static final DeliveryResult BOUNCE = new DeliveryResult(Instant.parse("2024-01-05T11:00:01.123456Z"), "mail",
            Mta.POSTFIX, "4E74613FE76", "m1@example.com", "", "redacted@gmail.com", "alias@example.com",
            "gmail-smtp-in.l.google.com[2607:f8b0:400e:c04::1b]:25", "2607:f8b0:400e:c04::1b", DeliveryStatus.BOUNCED,
            "bounced", "5.7.1", 550, "550 5.7.1 Our system has detected that this message is \"likely\", unsolicited",
            SmtpStage.DATA_END, 1.9, 2);

    private static final DeliveryResult SPARSE = new DeliveryResult(null, null, Mta.EXIM, "1jmFYj-00039V-QX", null, null,
            "bob@null.corp", null, null, null, DeliveryStatus.DEFERRED, "deferred", null, null, null, null, null, 1);

    @Test
    void jsonlHasEveryRecordFieldInOrderThenTheExtras() throws IOException {
        assertThat(ResultWriter.FIELDS).as("the writer knows every field of the record")
                .isEqualTo(Arrays.stream(DeliveryResult.class.getRecordComponents()).map(c -> c.getName()).collect(Collectors.toList()));
        StringWriter out = new StringWriter();
        ResultWriter writer = new ResultWriter(out, OutputFormat.JSONL);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("category", "spamdetected");
        extra.put("signals", List.of("gmail"));
        writer.write(BOUNCE, extra);
        writer.write(SPARSE);
        writer.flush();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        List<String> names = iterable(first);
        assertThat(names.subList(0, ResultWriter.FIELDS.size())).isEqualTo(ResultWriter.FIELDS);
        assertThat(names.subList(ResultWriter.FIELDS.size(), names.size())).containsExactly("category", "signals");
        assertThat(first.get("time").asText()).isEqualTo("2024-01-05T11:00:01.123456Z");
        assertThat(first.get("mta").asText()).isEqualTo("postfix");
        assertThat(first.get("status").asText()).isEqualTo("bounced");
        assertThat(first.get("stage").asText()).isEqualTo("data_end");
        assertThat(first.get("replyCode").asInt()).isEqualTo(550);
        assertThat(first.get("sender").asText()).isEmpty();
        assertThat(first.get("diagnostic").asText()).isEqualTo(BOUNCE.diagnostic());
        assertThat(first.get("delaySeconds").asDouble()).isEqualTo(1.9);
        assertThat(first.get("attempts").asInt()).isEqualTo(2);
        assertThat(first.get("signals").get(0).asText()).isEqualTo("gmail");
        JsonNode second = new ObjectMapper().readTree(lines[1]);
        assertThat(second.get("time").isNull()).isTrue();
        assertThat(second.get("replyCode").isNull()).isTrue();
        assertThat(second.get("stage").asText()).isEqualTo("none");
        assertThat(iterable(second)).hasSize(ResultWriter.FIELDS.size());
    }

    @Test
    void csvQuotesWhatNeedsQuotingAndHasAHeader() throws IOException {
        StringWriter out = new StringWriter();
        ResultWriter writer = new ResultWriter(out, OutputFormat.CSV);
        writer.write(BOUNCE, Map.of("category", "spam, probably"));
        writer.write(SPARSE, Map.of());
        writer.flush();
        String[] lines = out.toString().split("\r\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo(String.join(",", ResultWriter.FIELDS) + ",category");
        assertThat(lines[1]).contains(",\"550 5.7.1 Our system has detected that this message is \"\"likely\"\", unsolicited\",")
                .endsWith(",data_end,1.9,2,\"spam, probably\"");
        assertThat(lines[2]).startsWith(",,exim,1jmFYj-00039V-QX,,,bob@null.corp,").endsWith(",none,,1,");
    }

    @Test
    void tableIsOneAlignedLinePerResult() throws IOException {
        StringWriter out = new StringWriter();
        ResultWriter writer = new ResultWriter(out, OutputFormat.TABLE);
        writer.write(BOUNCE);
        writer.write(SPARSE);
        writer.flush();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("time").contains("status").endsWith("diagnostic");
        assertThat(lines[1]).startsWith("2024-01-05T11:00:01Z ").contains("bounced").contains("redacted@gmail.com").endsWith("unsolicited");
        assertThat(lines[1].indexOf("bounced")).isEqualTo(lines[0].indexOf("status"));
        assertThat(lines[2]).startsWith("-").contains("deferred");
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
