package dev.bouncewatch.agent.source;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Turns one {@code journalctl --output=json} entry back into the syslog line the MTA meant to write,
 * {@code 2024-01-05T12:00:01.123456Z mail postfix/smtp[1234]: MESSAGE}, so the agent's one parser reads
 * the journal like a file (postfix_exporter and fail2ban rebuild the same shape). Field rules follow
 * systemd's JOURNAL_EXPORT_FORMATS: a value is a string; an array of numbers when it is not valid
 * UTF-8 or has control characters; an array of values when the field occurs several times; null when
 * too large (journalctl without {@code --all}).
 */
final class JournalEntryFormatter {

    /** One entry: its cursor (null if missing) and the rebuilt line, null when it carries no message. */
    record Entry(String cursor, String line) {
    }

    /** The text is not a JSON object. */
    static final class InvalidEntryException extends Exception {
        InvalidEntryException(String message) {
            super(message, null, false, false);
        }
    }

    /** RFC 3339 in UTC with microseconds, the journal's resolution; the parser's readRfc3339 takes it. */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private final ObjectMapper json = new ObjectMapper();

    Entry format(byte[] bytes, int length) throws InvalidEntryException {
        JsonNode entry;
        try {
            entry = json.readTree(bytes, 0, length);
        } catch (JacksonException e) {
            throw new InvalidEntryException("not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidEntryException("not JSON: " + e.getMessage());
        }
        if (entry == null || !entry.isObject()) {
            throw new InvalidEntryException("not a JSON object");
        }
        String cursor = text(entry.get("__CURSOR"));
        String message = text(entry.get("MESSAGE"));
        if (message == null) {
            return new Entry(cursor, null);
        }
        message = oneLine(message);
        if ("stdout".equals(text(entry.get("_TRANSPORT"))) && hasOwnTimestamp(message)) {
            // e.g. Postfix with maillog_file=/dev/stdout under systemd: the line is already complete
            return new Entry(cursor, message);
        }
        return new Entry(cursor, prefix(entry) + message);
    }

    /** {@code TIME HOST IDENT[PID]: } as rsyslog's RSYSLOG_FileFormat would write it. */
    private static String prefix(JsonNode entry) {
        StringBuilder sb = new StringBuilder(96);
        sb.append(TIME.format(time(entry))).append(' ');
        String host = token(text(entry.get("_HOSTNAME")));
        sb.append(host == null ? "localhost" : host).append(' ');
        String ident = token(text(entry.get("SYSLOG_IDENTIFIER")));
        if (ident == null) {
            ident = token(text(entry.get("_COMM")));
        }
        sb.append(ident == null ? "unknown" : ident);
        String pid = digits(text(entry.get("SYSLOG_PID")));
        if (pid == null) {
            pid = digits(text(entry.get("_PID")));
        }
        if (pid != null) {
            sb.append('[').append(pid).append(']');
        }
        return sb.append(": ").toString();
    }

    /** When the program logged it if it said so, else when journald received it; now if neither is readable. */
    private static Instant time(JsonNode entry) {
        Long micros = micros(text(entry.get("_SOURCE_REALTIME_TIMESTAMP")));
        if (micros == null) {
            micros = micros(text(entry.get("__REALTIME_TIMESTAMP")));
        }
        if (micros == null) {
            return Instant.now();
        }
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static Long micros(String s) {
        if (s == null || s.isEmpty() || s.length() > 18) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(s);
    }

    /**
     * A field's value as text: a string as is, a byte array decoded as UTF-8 (invalid bytes become
     * U+FFFD, which the parser counts), several values joined by a space; null when missing or null.
     */
    static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isArray()) {
            if (isByteArray(value)) {
                byte[] raw = new byte[value.size()];
                for (int i = 0; i < raw.length; i++) {
                    raw[i] = (byte) value.get(i).intValue();
                }
                return new String(raw, StandardCharsets.UTF_8);
            }
            StringBuilder sb = new StringBuilder();
            for (JsonNode v : value) {
                String part = text(v);
                if (part != null) {
                    sb.append(sb.length() == 0 ? "" : " ").append(part);
                }
            }
            return sb.length() == 0 && value.size() > 0 ? null : sb.toString();
        }
        return value.isValueNode() ? value.asText() : null;
    }

    /** A byte array is a non-empty array of integers 0..255; a multi-valued field holds strings, nulls or arrays. */
    private static boolean isByteArray(JsonNode array) {
        if (array.isEmpty()) {
            return false;
        }
        for (JsonNode v : array) {
            if (!v.isIntegralNumber() || v.intValue() < 0 || v.intValue() > 255) {
                return false;
            }
        }
        return true;
    }

    /** A log line has no line breaks: rsyslog would escape them, here they become spaces. */
    private static String oneLine(String s) {
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace('\n', ' ').replace('\r', ' ');
    }

    /** A host or tag is one word in a syslog line; null for missing or empty values. */
    private static String token(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == ':' || c == '[' || c == ']') {
                if (sb == null) {
                    sb = new StringBuilder(s.substring(0, i));
                }
                sb.append('_');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static String digits(String s) {
        if (s == null || s.isEmpty() || s.length() > 20) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return s;
    }

    /** Starts like {@code Jan  5 12:00:01} or {@code 2024-01-05T12:00:01}: a line written with its own syslog prefix. */
    static boolean hasOwnTimestamp(String s) {
        if (s.length() < 16) {
            return false;
        }
        if (Character.isLetter(s.charAt(0)) && Character.isLetter(s.charAt(1)) && Character.isLetter(s.charAt(2))
                && s.charAt(3) == ' ' && (s.charAt(4) == ' ' || isDigit(s.charAt(4)))) {
            int clock = s.indexOf(':', 5);
            return clock >= 7 && clock <= 9 && isDigit(s.charAt(clock - 1)) && isDigit(s.charAt(clock - 2));
        }
        return isDigit(s.charAt(0)) && isDigit(s.charAt(3)) && s.charAt(4) == '-' && s.charAt(7) == '-'
                && s.charAt(10) == 'T';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
