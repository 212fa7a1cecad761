package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;

import java.time.Instant;
import java.util.List;

/**
 * Exim mainlog lines: {@code DATE TIME[.mmm][ +zone][ [pid]] MSGID FLAG ADDRESS [<parent>] K=V... [: TEXT]},
 * from Exim's own file or behind a syslog prefix. Flags: {@code <=} arrival, {@code => -> >>} delivered,
 * {@code *>} suppressed by -N, {@code **} failed, {@code ==} deferred. Addresses are written raw (spaces,
 * {@code :blackhole:}), so the address ends at the first field, parent or ": ".
 */
final class EximLineParser implements MtaLineParser {

    /** Exim 4.8x+ "mail server", older "mailer" (which puts "host H [ip]:" before the reply), LMTP. */
    private static final String[] ERROR_LEADS = {"SMTP error from remote mail server after ",
        "SMTP error from remote mailer after ", "LMTP error after "};
    private static final String[] RESPONSE_LEADS = {"in response to ", "timeout after "};

    private final StagePhrases phrases;
    private final TimestampParser timestamps;

    EximLineParser(StagePhrases phrases, TimestampParser timestamps) {
        this.phrases = phrases;
        this.timestamps = timestamps;
    }

    static boolean isEximProgram(String program) {
        return program.startsWith("exim");
    }

    /** True when the line is in Exim's own log format (starts with {@code YYYY-MM-DD hh:mm:ss}). */
    static boolean looksLikeEximLine(String line) {
        return TimestampParser.isIsoDate(line, 0) && line.charAt(10) == ' ';
    }

    @Override
    public LogEvent parse(SyslogLine line) {
        String m = line.message();
        Instant time = line.time();
        int i = 0;
        if (looksLikeEximLine(m)) {
            i = timestamps.readExim(m, 0);
            if (i < 0) {
                return LogEvent.NoResult.UNRECOGNISED;
            }
            if (timestamps.time() != null) {
                time = timestamps.time(); // Exim's own stamp carries milliseconds and zone; prefer it
            }
        }
        int n = m.length();
        i = skipSpaces(m, i);
        if (i < n && m.charAt(i) == '[') { // log_selector +pid
            int close = m.indexOf(']', i);
            if (close < 0) {
                return LogEvent.NoResult.UNRECOGNISED;
            }
            i = skipSpaces(m, close + 1);
        }
        int idEnd = messageIdEnd(m, i);
        if (idEnd < 0) {
            return LogEvent.NoResult.CONTEXT; // rejects, auth failures, connection notes: no message
        }
        String queueId = m.substring(i, idEnd);
        int f = idEnd + 1;
        if (f + 2 > n) {
            return LogEvent.NoResult.UNRECOGNISED;
        }
        if (m.startsWith("Completed", f)) {
            return new LogEvent.MessageDone(queueId);
        }
        if (f + 3 > n || m.charAt(f + 2) != ' ') {
            return LogEvent.NoResult.CONTEXT; // "Frozen", "H=host [ip] Connection timed out", ...
        }
        String flag = m.substring(f, f + 2);
        switch (flag) {
            case "<=":
                return arrival(m, queueId, f + 3);
            case "=>":
            case "->":
            case ">>":
                return delivery(line, time, m, queueId, f + 3, DeliveryStatus.DELIVERED, "sent");
            case "*>":
                return delivery(line, time, m, queueId, f + 3, DeliveryStatus.DELIVERED, "suppressed");
            case "**":
                return delivery(line, time, m, queueId, f + 3, DeliveryStatus.BOUNCED, "bounced");
            case "==":
                return delivery(line, time, m, queueId, f + 3, DeliveryStatus.DEFERRED, "deferred");
            default:
                return LogEvent.NoResult.CONTEXT;
        }
    }

    /** Old ids {@code 1jmFYj-00039V-QX} (6-6-2) and 4.97+ ids {@code 10HmaX-000000005vi-0000} (6-11-4). */
    static int messageIdEnd(String m, int i) {
        int n = m.length();
        if (i + 16 > n || m.charAt(i + 6) != '-') {
            return -1;
        }
        int secondDash;
        if (m.charAt(i + 13) == '-') {
            secondDash = i + 13;
        } else if (i + 23 <= n && m.charAt(i + 18) == '-') {
            secondDash = i + 18;
        } else {
            return -1;
        }
        int end = secondDash == i + 13 ? i + 16 : i + 23;
        for (int j = i; j < end; j++) {
            if (j != i + 6 && j != secondDash && !Character.isLetterOrDigit(m.charAt(j))) {
                return -1;
            }
        }
        if (end < n && m.charAt(end) != ' ') {
            return -1;
        }
        return end;
    }

    private LogEvent arrival(String m, String queueId, int i) {
        int end = m.indexOf(' ', i);
        String sender = m.substring(i, end < 0 ? m.length() : end);
        sender = Addresses.stripAngles(sender);
        Fields fields = readFields(m, end < 0 ? m.length() : end);
        Long size = null;
        if (fields.size != null) {
            try {
                size = Long.parseLong(fields.size);
            } catch (NumberFormatException e) {
                size = null;
            }
        }
        return new LogEvent.MessageInfo(queueId, sender, size, fields.messageId == null ? null : Addresses.stripAngles(fields.messageId));
    }

    private LogEvent delivery(SyslogLine line, Instant time, String m, String queueId, int i,
                              DeliveryStatus status, String word) {
        int addrEnd = addressEnd(m, i);
        String recipient = m.substring(i, addrEnd);
        if (recipient.isEmpty()) {
            return LogEvent.NoResult.UNRECOGNISED;
        }
        int j = addrEnd;
        String parent = null;
        if (j + 1 < m.length() && m.charAt(j) == ' ' && m.charAt(j + 1) == '<') {
            int close = m.indexOf('>', j + 2);
            if (close > 0) {
                parent = m.substring(j + 2, close);
                j = close + 1;
            }
        }
        Fields fields = readFields(m, j);
        String relay = fields.host;
        Integer code = null;
        String dsn = null;
        String diagnostic = null;
        SmtpStage stage = null;
        if (fields.confirmation != null) { // C="250 2.0.0 Ok: queued as ..."
            diagnostic = ReplyText.unfoldExim(fields.confirmation);
            int c = ReplyText.code(diagnostic, 0);
            code = c < 0 ? null : c;
            dsn = ReplyText.enhancedAfterCode(diagnostic);
        }
        if (fields.text != null) {
            Failure failure = failure(fields.text, fields.deferCode);
            if (failure.relay != null) {
                relay = failure.relay;
            }
            code = failure.code;
            dsn = failure.code == null ? null : ReplyText.enhancedAfterCode(failure.diagnostic);
            diagnostic = failure.diagnostic;
            stage = failure.stage;
        } else if (fields.deferCode != null) {
            stage = phrases.exact(StagePhrases.EXIM_DEFER, fields.deferCode);
        }
        if (stage == null) {
            stage = status == DeliveryStatus.DELIVERED && relay != null ? SmtpStage.DATA_END : SmtpStage.NONE;
        }
        Double delay = Durations.unitSeconds(fields.queueTime);
        DeliveryResult result = new DeliveryResult(time, line.host(), Mta.EXIM, queueId, null, null, recipient,
                parent, relay, Addresses.bracketedIp(relay), status, word, dsn, code, diagnostic, stage, delay, 0);
        if (status == DeliveryStatus.BOUNCED && fields.text != null && isTimeout(fields.text)) {
            // Exim's expiry is per recipient: the recipient gave up after retrying for retry_timeout
            DeliveryResult expired = new DeliveryResult(time, line.host(), Mta.EXIM, queueId, null, null, recipient,
                    parent, relay, result.relayIp(), DeliveryStatus.EXPIRED, word, dsn, code, diagnostic, stage, delay, 0);
            return new LogEvent.Expiry(expired, false);
        }
        boolean attempted = !(status == DeliveryStatus.DEFERRED && fields.text != null && isRetryTimeNotReached(fields.text));
        return new LogEvent.Deliveries(List.of(result), attempted);
    }

    private static boolean isTimeout(String text) {
        return text.startsWith("retry timeout exceeded") || text.contains("have been failing for a long time");
    }

    private static boolean isRetryTimeNotReached(String text) {
        return text.regionMatches(true, 0, "retry time not", 0, 14) || text.contains("retry time not reached");
    }

    /** Where the raw address ends: before " <parent>", a " K=" field, " routing", " defer (" or ": ". */
    static int addressEnd(String m, int start) {
        int n = m.length();
        int colonFrom = start;
        if (start < n && m.charAt(start) == ':') { // ":blackhole:", ":defer: ..." keep their closing colon
            int close = m.indexOf(':', start + 1);
            colonFrom = close < 0 ? n : close + 1;
        }
        for (int j = start; j < n; j++) {
            char c = m.charAt(j);
            if (c == ' ') {
                if (j + 1 < n && (m.charAt(j + 1) == '<' || isFieldStart(m, j + 1)
                        || m.startsWith("routing ", j + 1) || m.startsWith("defer (", j + 1))) {
                    return j;
                }
            } else if (c == ':' && j >= colonFrom && (j + 1 == n || m.charAt(j + 1) == ' ')) {
                return j;
            }
        }
        return n;
    }

    private static boolean isFieldStart(String m, int i) {
        int n = m.length();
        int j = i;
        while (j < n && j - i < 4 && Character.isLetter(m.charAt(j))) {
            j++;
        }
        return j > i && j < n && m.charAt(j) == '=';
    }

    /** The fields after the address; text is what follows the ": " that ends them, if any. */
    private static final class Fields {
        String host;
        String confirmation;
        String queueTime;
        String size;
        String messageId;
        String deferCode;
        String text;
    }

    private static Fields readFields(String m, int i) {
        Fields f = new Fields();
        int n = m.length();
        while (i < n) {
            i = skipSpaces(m, i);
            if (i >= n) {
                break;
            }
            char c = m.charAt(i);
            if (c == ':') {
                f.text = m.substring(skipSpaces(m, i + 1));
                break;
            }
            if (m.startsWith("defer (", i)) {
                int close = m.indexOf(')', i);
                if (close < 0) {
                    break;
                }
                f.deferCode = m.substring(i + 7, close);
                i = close + 1;
                continue;
            }
            int eq = -1;
            int j = i;
            while (j < n && m.charAt(j) != ' ' && m.charAt(j) != ':') {
                if (m.charAt(j) == '=') {
                    eq = j;
                    break;
                }
                j++;
            }
            if (eq < 0) { // a bare word ("routing") or a trailing "word:"
                i = j;
                if (i < n && m.charAt(i) == ':' && (i + 1 < n && m.charAt(i + 1) != ' ')) {
                    i++;
                }
                continue;
            }
            String key = m.substring(i, eq);
            int v = eq + 1;
            if (key.equals("H")) {
                i = readHost(m, v, f);
                continue;
            }
            String value;
            if (v < n && m.charAt(v) == '"') {
                int close = closingQuote(m, v + 1);
                value = m.substring(v + 1, close);
                i = Math.min(n, close + 1);
            } else {
                int end = v;
                while (end < n && m.charAt(end) != ' ') {
                    end++;
                }
                if (end > v && m.charAt(end - 1) == ':' && !key.equals("id")) { // "T=remote_smtp: SMTP error ..."
                    end--;
                }
                value = m.substring(v, end);
                i = end;
            }
            switch (key) {
                case "C": f.confirmation = value; break;
                case "QT": f.queueTime = value; break;
                case "S": f.size = value; break;
                case "id": f.messageId = value; break;
                default: break;
            }
        }
        return f;
    }

    /** {@code H=name [ip][:port][*]}, {@code H=(helo) [ip]}, {@code H=name}; stored without the reuse star. */
    private static int readHost(String m, int v, Fields f) {
        int n = m.length();
        int end = v;
        while (end < n && m.charAt(end) != ' ') {
            end++;
        }
        if (end > v && m.charAt(end - 1) == ':') {
            end--;
        }
        int hostEnd = end;
        if (end + 1 < n && m.charAt(end) == ' ' && m.charAt(end + 1) == '[') {
            int close = m.indexOf(']', end + 1);
            if (close > 0) {
                hostEnd = close + 1;
                if (hostEnd + 1 < n && m.charAt(hostEnd) == ':' && TimestampParser.isDigit(m.charAt(hostEnd + 1))) {
                    hostEnd++;
                    while (hostEnd < n && TimestampParser.isDigit(m.charAt(hostEnd))) {
                        hostEnd++;
                    }
                }
            }
        }
        f.host = m.substring(v, hostEnd);
        int i = hostEnd;
        if (i < n && m.charAt(i) == '*') {
            i++;
        }
        return i;
    }

    private static int closingQuote(String m, int from) {
        for (int i = from; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return m.length();
    }

    private record Failure(Integer code, String diagnostic, SmtpStage stage, String relay) {
    }

    /** Reply code, stage, remote text (and the old "host H [ip]:" relay) of a failure or deferral text. */
    private Failure failure(String text, String deferCode) {
        int after = -1;
        for (String lead : ERROR_LEADS) {
            if (text.startsWith(lead)) {
                after = lead.length();
                break;
            }
        }
        if (after >= 0) {
            int phrase = text.startsWith("pipelined ", after) ? after + 10 : after;
            SmtpStage stage = phrases.prefixOf(StagePhrases.EXIM_AFTER, text, phrase);
            int replyAt = -1;
            String relay = null;
            for (int colon = text.indexOf(": ", phrase); colon >= 0; colon = text.indexOf(": ", colon + 1)) {
                if (ReplyText.code(text, colon + 2) >= 0) {
                    replyAt = colon + 2;
                    break;
                }
                if (text.startsWith("host ", colon + 2)) { // Exim before 4.8x: "...: host H [ip]: 553 ..."
                    int hostEnd = text.indexOf("]: ", colon + 2);
                    if (hostEnd > 0 && ReplyText.code(text, hostEnd + 3) >= 0) {
                        relay = text.substring(colon + 7, hostEnd + 1);
                        replyAt = hostEnd + 3;
                        break;
                    }
                }
            }
            if (replyAt >= 0) {
                String reply = ReplyText.unfoldExim(text.substring(replyAt));
                return new Failure(ReplyText.code(reply, 0), reply, stage == null ? SmtpStage.NONE : stage, relay);
            }
            return new Failure(null, ReplyText.unfoldExim(text), stage == null ? SmtpStage.NONE : stage, null);
        }
        SmtpStage stage = null;
        for (String lead : RESPONSE_LEADS) {
            int at = text.indexOf(lead);
            if (at >= 0) {
                int phrase = at + lead.length();
                if (text.startsWith("pipelined ", phrase)) {
                    phrase += 10;
                }
                stage = phrases.prefixOf(StagePhrases.EXIM_AFTER, text, phrase);
                if (stage != null) {
                    break;
                }
            }
        }
        if (stage == null && deferCode != null) {
            stage = phrases.exact(StagePhrases.EXIM_DEFER, deferCode);
        }
        if (stage == null) {
            stage = phrases.containedIn(StagePhrases.EXIM_CONTAINS, text);
        }
        return new Failure(null, ReplyText.unfoldExim(text), stage == null ? SmtpStage.NONE : stage, null);
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
