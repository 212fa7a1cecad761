package dev.bouncewatch.agent.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.agent.model.DeliveryResult;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes delivery results as JSON lines, CSV or a table: every field of {@link DeliveryResult} in record
 * order with camelCase names and lower-case enum values, then the caller's extra fields (the classifier's
 * category, action ... added by later stages) in the order of the map. For CSV and table the columns
 * are fixed by the first result's extra keys.
 */
public final class ResultWriter implements Flushable, Closeable {

    /** The record's fields, in order; ResultWriterTest checks this against the record itself. */
    static final List<String> FIELDS = List.of("time", "host", "mta", "queueId", "messageId", "sender",
            "recipient", "origRecipient", "relay", "relayIp", "status", "mtaStatus", "dsn", "replyCode",
            "diagnostic", "stage", "delaySeconds", "attempts");

    /** Table columns: the ones a person scans; the rest are in jsonl and csv. */
    private static final String[] TABLE_COLUMNS = {"time", "status", "queueId", "recipient", "relay", "replyCode", "dsn", "stage", "attempts", "diagnostic"};
    private static final int[] TABLE_WIDTHS = {20, 9, 14, 32, 40, 9, 7, 9, 8, 0};

    private static final String[] MTA_NAMES = wireNames(dev.bouncewatch.agent.model.Mta.values());
    private static final String[] STATUS_NAMES = wireNames(dev.bouncewatch.agent.model.DeliveryStatus.values());
    private static final String[] STAGE_NAMES = wireNames(dev.bouncewatch.agent.model.SmtpStage.values());

    private final Writer out;
    private final OutputFormat format;
    private final JsonGenerator json;
    private List<String> extraColumns;
    private final InstantText times = new InstantText();

    public ResultWriter(Writer out, OutputFormat format) throws IOException {
        this.out = out;
        this.format = format;
        if (format == OutputFormat.JSONL) {
            json = new JsonFactory().createGenerator(out); // an ObjectMapper only when extras need one
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        } else {
            json = null;
        }
    }

    public void write(DeliveryResult r) throws IOException {
        write(r, Map.of());
    }

    public void write(DeliveryResult r, Map<String, ?> extra) throws IOException {
        switch (format) {
            case JSONL: writeJson(r, extra); break;
            case CSV: writeCsv(r, extra); break;
            case TABLE: writeTable(r, extra); break;
            default: throw new IllegalStateException("unknown format " + format);
        }
    }

    private void writeJson(DeliveryResult r, Map<String, ?> extra) throws IOException {
        json.writeStartObject();
        json.writeStringField("time", r.time() == null ? null : times.format(r.time()));
        json.writeStringField("host", r.host());
        json.writeStringField("mta", MTA_NAMES[r.mta().ordinal()]);
        json.writeStringField("queueId", r.queueId());
        json.writeStringField("messageId", r.messageId());
        json.writeStringField("sender", r.sender());
        json.writeStringField("recipient", r.recipient());
        json.writeStringField("origRecipient", r.origRecipient());
        json.writeStringField("relay", r.relay());
        json.writeStringField("relayIp", r.relayIp());
        json.writeStringField("status", STATUS_NAMES[r.status().ordinal()]);
        json.writeStringField("mtaStatus", r.mtaStatus());
        json.writeStringField("dsn", r.dsn());
        if (r.replyCode() == null) {
            json.writeNullField("replyCode");
        } else {
            json.writeNumberField("replyCode", r.replyCode());
        }
        json.writeStringField("diagnostic", r.diagnostic());
        json.writeStringField("stage", STAGE_NAMES[r.stage().ordinal()]);
        if (r.delaySeconds() == null) {
            json.writeNullField("delaySeconds");
        } else {
            json.writeNumberField("delaySeconds", r.delaySeconds());
        }
        json.writeNumberField("attempts", r.attempts());
        for (Map.Entry<String, ?> e : extra.entrySet()) {
            json.writeFieldName(e.getKey());
            Object v = e.getValue();
            if (v == null) {
                json.writeNull();
            } else if (v instanceof String str) {
                json.writeString(str);
            } else if (v instanceof Boolean b) {
                json.writeBoolean(b);
            } else if (v instanceof Collection<?> items && items.stream().allMatch(String.class::isInstance)) {
                json.writeStartArray();
                for (Object item : items) {
                    json.writeString((String) item);
                }
                json.writeEndArray();
            } else {
                if (json.getCodec() == null) {
                    json.setCodec(new ObjectMapper());
                }
                json.writeObject(v);
            }
        }
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private void writeCsv(DeliveryResult r, Map<String, ?> extra) throws IOException {
        if (extraColumns == null) {
            extraColumns = new ArrayList<>(extra.keySet());
            List<String> header = new ArrayList<>(FIELDS);
            header.addAll(extraColumns);
            for (int i = 0; i < header.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(csv(header.get(i)));
            }
            out.write("\r\n");
        }
        String[] values = values(r);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(csv(values[i]));
        }
        for (String column : extraColumns) {
            out.write(',');
            Object v = extra.get(column);
            out.write(csv(cell(v)));
        }
        out.write("\r\n");
    }

    private void writeTable(DeliveryResult r, Map<String, ?> extra) throws IOException {
        if (extraColumns == null) {
            extraColumns = new ArrayList<>(extra.keySet());
            StringBuilder header = new StringBuilder();
            for (int i = 0; i < TABLE_COLUMNS.length; i++) {
                pad(header, TABLE_COLUMNS[i], TABLE_WIDTHS[i]);
            }
            for (String column : extraColumns) {
                header.append("  ").append(column);
            }
            out.write(header.toString().stripTrailing());
            out.write('\n');
        }
        String[] values = values(r);
        if (r.time() != null) { // people scan seconds; jsonl and csv keep the fraction
            values[0] = r.time().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        }
        StringBuilder row = new StringBuilder(160);
        for (int i = 0; i < TABLE_COLUMNS.length; i++) {
            pad(row, values[FIELDS.indexOf(TABLE_COLUMNS[i])], TABLE_WIDTHS[i]);
        }
        for (String column : extraColumns) {
            Object v = extra.get(column);
            String cell = cell(v);
            row.append("  ").append(cell.isEmpty() ? "-" : oneLine(cell));
        }
        out.write(row.toString().stripTrailing());
        out.write('\n');
    }

    /** An extra value as one CSV or table cell: a list (the classifier's signals) joined with ';'. */
    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Collection<?> items) {
            StringBuilder sb = new StringBuilder();
            for (Object item : items) {
                sb.append(sb.length() == 0 ? "" : ";").append(item);
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }

    private static void pad(StringBuilder sb, String value, int width) {
        String v = value.isEmpty() ? "-" : oneLine(value);
        sb.append(v);
        for (int i = v.length(); i < width; i++) {
            sb.append(' ');
        }
        sb.append(' ');
    }

    private static String oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace('\n', ' ').replace('\r', ' ');
    }

    /** The record's fields as text, in {@link #FIELDS} order; "" for null. */
    private String[] values(DeliveryResult r) {
        return new String[] {
            r.time() == null ? "" : times.format(r.time()), text(r.host()), MTA_NAMES[r.mta().ordinal()], text(r.queueId()),
            text(r.messageId()), text(r.sender()), text(r.recipient()), text(r.origRecipient()), text(r.relay()),
            text(r.relayIp()), STATUS_NAMES[r.status().ordinal()], text(r.mtaStatus()), text(r.dsn()),
            r.replyCode() == null ? "" : r.replyCode().toString(), text(r.diagnostic()), STAGE_NAMES[r.stage().ordinal()],
            r.delaySeconds() == null ? "" : r.delaySeconds().toString(), Integer.toString(r.attempts())
        };
    }

    private static String[] wireNames(Enum<?>[] values) {
        String[] names = new String[values.length];
        for (Enum<?> v : values) {
            names[v.ordinal()] = v.name().toLowerCase(java.util.Locale.ROOT);
        }
        return names;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String csv(String v) {
        boolean quote = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }

    @Override
    public void flush() throws IOException {
        if (json != null) {
            json.flush();
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
        if (json != null) {
            json.close();
        }
    }
}
