package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenSMTPD ({@code smtpd[pid]}), three generations:
 * 6.4+ {@code SESS mta delivery evpid=E from=<s> to=<r> rcpt=<-> source="ip" relay="ip (host)" delay=2s result="Ok" stat="250 ..."}
 * (the mda variant is unquoted), 6.0-6.3 the same with {@code event=delivery}, and up to 5.9
 * {@code relay: Ok for E: session=S, from=<s>, to=<r>, ..., stat=250 ...}; the queue's
 * {@code relay: Expire for E: from=<s>, to=<r>, ..., stat=Envelope expired} ends an envelope.
 * The queue id is the envelope id: one per recipient.
 */
final class OpenSmtpdLineParser implements MtaLineParser {

    /** Up to 5.9: "relay: Ok for EVPID: ..." (remote) and "delivery: Ok for EVPID: ..." (local). */
    private static final String[] LEGACY_PREFIXES = {"relay: ", "delivery: "};

    static boolean isOpenSmtpdProgram(String program) {
        return program.equals("smtpd") || program.equals("opensmtpd");
    }

    /** True for an OpenSMTPD message quoted without a syslog prefix: 16 hex digits, then mta/mda/smtp. */
    static boolean looksLikeBareLine(String line) {
        if (line.length() < 21 || line.charAt(16) != ' ') {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            if (Character.digit(line.charAt(i), 16) < 0) {
                return false;
            }
        }
        return line.startsWith("mta ", 17) || line.startsWith("mda ", 17) || line.startsWith("smtp ", 17);
    }

    @Override
    public LogEvent parse(SyslogLine line) {
        String msg = line.message();
        for (String prefix : LEGACY_PREFIXES) {
            if (msg.startsWith(prefix)) {
                return legacy(line, msg, prefix.length(), prefix.equals("relay: "));
            }
        }
        if (msg.length() < 21 || msg.charAt(16) != ' ') {
            return LogEvent.NoResult.CONTEXT;
        }
        boolean mta = msg.startsWith("mta ", 17);
        if (!mta && !msg.startsWith("mda ", 17)) {
            return LogEvent.NoResult.CONTEXT; // smtp sessions: connected, envelope, failed-command ...
        }
        int i = 21;
        if (msg.startsWith("event=", i)) {
            i += 6;
        }
        if (!msg.startsWith("delivery ", i)) {
            return LogEvent.NoResult.CONTEXT; // mta connecting, tls, disconnected, error
        }
        Map<String, String> fields = spaceSeparated(msg, i + 9);
        return delivery(line, fields, mta);
    }

    private static LogEvent legacy(SyslogLine line, String msg, int i, boolean mta) {
        int space = msg.indexOf(' ', i);
        if (space < 0 || !msg.startsWith("for ", space + 1)) {
            return LogEvent.NoResult.CONTEXT;
        }
        String result = msg.substring(i, space);
        int idStart = space + 5;
        int colon = msg.indexOf(": ", idStart);
        if (colon < 0) {
            return LogEvent.NoResult.TRUNCATED;
        }
        Map<String, String> fields = commaSeparated(msg, colon + 2);
        fields.put("evpid", msg.substring(idStart, colon));
        fields.put("result", result);
        if (result.equals("Expire")) {
            DeliveryResult template = new DeliveryResult(line.time(), line.host(), Mta.OPENSMTPD, fields.get("evpid"),
                    null, Addresses.stripAngles(fields.get("from")), Addresses.stripAngles(fields.get("to")),
                    origRecipient(fields.get("rcpt")), null, null, DeliveryStatus.EXPIRED, result, null, null,
                    fields.get("stat"), SmtpStage.NONE, Durations.unitSeconds(fields.get("delay")), 0);
            return new LogEvent.Expiry(template, false);
        }
        return delivery(line, fields, mta);
    }

    private static LogEvent delivery(SyslogLine line, Map<String, String> f, boolean mta) {
        String result = f.get("result");
        DeliveryStatus status = statusOf(result);
        String evpid = f.get("evpid");
        String to = Addresses.stripAngles(f.get("to"));
        if (status == null || evpid == null || to == null) {
            return LogEvent.NoResult.UNRECOGNISED;
        }
        String stat = f.get("stat");
        Integer code = null;
        String dsn = null;
        if (stat != null && ReplyText.code(stat, 0) >= 0) {
            code = ReplyText.code(stat, 0);
            dsn = ReplyText.enhancedAfterCode(stat);
        }
        String relay = f.get("relay");
        String relayIp = null;
        if (relay != null) {
            int space = relay.indexOf(' ');
            String first = space < 0 ? relay : relay.substring(0, space);
            relayIp = Addresses.isIp(first) ? first : null;
        }
        // Only a successful remote delivery tells the step (end of DATA); failures never name the command.
        SmtpStage stage = mta && status == DeliveryStatus.DELIVERED ? SmtpStage.DATA_END : SmtpStage.NONE;
        DeliveryResult r = new DeliveryResult(line.time(), line.host(), Mta.OPENSMTPD, evpid, null,
                Addresses.stripAngles(f.get("from")), to, origRecipient(f.get("rcpt")), relay, relayIp, status,
                result, dsn, code, stat, stage, Durations.unitSeconds(f.get("delay")), 0);
        return new LogEvent.Deliveries(List.of(r), true);
    }

    private static DeliveryStatus statusOf(String result) {
        if (result == null) {
            return null;
        }
        switch (result) {
            case "Ok": return DeliveryStatus.DELIVERED;
            case "TempFail": return DeliveryStatus.DEFERRED;
            case "PermFail":
            case "Loop":
                return DeliveryStatus.BOUNCED;
            default: return null;
        }
    }

    private static String origRecipient(String rcpt) {
        String r = Addresses.stripAngles(rcpt);
        return r == null || r.equals("-") || r.isEmpty() ? null : r;
    }

    /** {@code k=v k="v w" ...}; stat is the last key and runs to the end of the line. */
    private static Map<String, String> spaceSeparated(String s, int i) {
        Map<String, String> fields = new HashMap<>();
        int n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq);
            int v = eq + 1;
            String value;
            if (key.equals("stat")) {
                value = unquote(s.substring(v));
                i = n;
            } else if (v < n && s.charAt(v) == '"') {
                int close = s.indexOf('"', v + 1);
                if (close < 0) {
                    close = n;
                }
                value = s.substring(v + 1, close);
                i = close + 1;
            } else {
                int end = s.indexOf(' ', v);
                if (end < 0) {
                    end = n;
                }
                value = s.substring(v, end);
                i = end;
            }
            fields.put(key, value);
        }
        return fields;
    }

    /** {@code k=v, k=v, ..., stat=text to the end}. */
    private static Map<String, String> commaSeparated(String s, int i) {
        Map<String, String> fields = new HashMap<>();
        int statAt = s.indexOf("stat=", i);
        String head = statAt < 0 ? s.substring(i) : s.substring(i, statAt);
        for (String part : head.split(", ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String value = part.substring(eq + 1);
                fields.put(part.substring(0, eq).trim(), value.endsWith(",") ? value.substring(0, value.length() - 1) : value);
            }
        }
        if (statAt >= 0) {
            fields.put("stat", s.substring(statAt + 5));
        }
        return fields;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
