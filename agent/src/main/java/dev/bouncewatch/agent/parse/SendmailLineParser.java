package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sendmail ({@code sendmail}, {@code sm-mta}, {@code sm-msp-queue}, renamed {@code sm-*} process titles):
 * {@code QID: to=<a>,<b>, [ctladdr=..., ]delay=D+HH:MM:SS, xdelay=..., mailer=M, pri=N, [relay=R, ]dsn=X.Y.Z,
 * [reply=TEXT, ]stat=TEXT}. One line can carry several recipients; {@code stat=} and {@code reply=} are
 * free text and run to the next known key, so they are cut off first.
 */
final class SendmailLineParser implements MtaLineParser {

    /** A comma that starts the next {@code key=}; the commas inside a to= list are followed by an address. */
    private static final Pattern PAIR_SEPARATOR = Pattern.compile(", ?(?=[a-z_]{1,16}=)");

    private final StagePhrases phrases;

    SendmailLineParser(StagePhrases phrases) {
        this.phrases = phrases;
    }

    static boolean isSendmailProgram(String program) {
        return program.equals("sendmail") || program.startsWith("sm-");
    }

    @Override
    public LogEvent parse(SyslogLine line) {
        String msg = line.message();
        int idEnd = queueIdEnd(msg, 0);
        if (idEnd < 0) {
            return LogEvent.NoResult.CONTEXT; // STARTTLS=client, daemon notes
        }
        String queueId = msg.substring(0, idEnd);
        int r = idEnd + 2;
        if (msg.startsWith("to=", r)) {
            return delivery(line, queueId, msg.substring(r));
        }
        if (msg.startsWith("from=", r)) {
            Map<String, String> pairs = pairs(msg.substring(r));
            Long size = null;
            try {
                size = pairs.containsKey("size") ? Long.parseLong(pairs.get("size")) : null;
            } catch (NumberFormatException e) {
                size = null;
            }
            String msgid = pairs.get("msgid");
            return new LogEvent.MessageInfo(queueId, Addresses.stripAngles(pairs.get("from")), size,
                    msgid == null ? null : Addresses.stripAngles(msgid));
        }
        int secondEnd = queueIdEnd(msg, r);
        if (secondEnd > 0) { // "QID: DSNQID: DSN: reason" / "sender notify: reason" / "return to sender: reason"
            int colon = msg.indexOf(": ", secondEnd + 2);
            if (colon > 0 && msg.startsWith("Cannot send message for ", colon + 2)) {
                DeliveryResult template = new DeliveryResult(line.time(), line.host(), Mta.SENDMAIL, queueId, null,
                        null, null, null, null, null, DeliveryStatus.EXPIRED, "expired", null, null,
                        msg.substring(colon + 2), SmtpStage.NONE, null, 0);
                return new LogEvent.Expiry(template, true);
            }
        }
        return LogEvent.NoResult.CONTEXT; // "<a>... User unknown" (SMTP-time reject), ruleset=, lost input channel
    }

    /** Sendmail queue ids: 8 or more letters and digits, then ": ". */
    private static int queueIdEnd(String msg, int from) {
        int i = from;
        int n = Math.min(msg.length(), from + 32);
        while (i < n && Character.isLetterOrDigit(msg.charAt(i)) && msg.charAt(i) < 128) {
            i++;
        }
        if (i - from < 8 || i + 1 >= msg.length() || msg.charAt(i) != ':' || msg.charAt(i + 1) != ' ') {
            return -1;
        }
        return i;
    }

    private LogEvent delivery(SyslogLine line, String queueId, String rest) {
        int statAt = keyAt(rest, "stat=", rest.indexOf("dsn="));
        if (statAt < 0) {
            return LogEvent.NoResult.TRUNCATED;
        }
        String stat = rest.substring(statAt + 5);
        String head = rest.substring(0, statAt);
        String reply = null;
        int replyAt = keyAt(head, "reply=", 0);
        if (replyAt >= 0) {
            reply = trimSeparator(head.substring(replyAt + 6));
            head = head.substring(0, replyAt);
        }
        Map<String, String> pairs = pairs(head);
        String dsn = pairs.get("dsn");
        DeliveryStatus status = statusOf(stat, dsn);
        if (status == null) {
            return stat.startsWith("queued") ? LogEvent.NoResult.CONTEXT : LogEvent.NoResult.UNRECOGNISED;
        }
        String relay = pairs.get("relay");
        String afterDeferred = stat.startsWith("Deferred: ") ? stat.substring(10) : null;
        Integer code = null;
        if (reply != null && ReplyText.code(reply, 0) >= 0) {
            code = ReplyText.code(reply, 0);
        } else if (afterDeferred != null && ReplyText.code(afterDeferred, 0) >= 0) {
            code = ReplyText.code(afterDeferred, 0);
        }
        String diagnostic;
        if (reply != null) {
            diagnostic = reply;
        } else if (afterDeferred != null) {
            diagnostic = afterDeferred;
        } else if (stat.startsWith("Sent (") && stat.endsWith(")")) {
            diagnostic = stat.substring(6, stat.length() - 1);
        } else {
            diagnostic = stat;
        }
        SmtpStage stage;
        if (status == DeliveryStatus.DELIVERED) {
            stage = relay != null ? SmtpStage.DATA_END : SmtpStage.NONE;
        } else {
            stage = phrases.prefixOf(StagePhrases.SENDMAIL_STAT, afterDeferred != null ? afterDeferred : stat, 0);
            if (stage == null) {
                stage = SmtpStage.NONE; // Sendmail does not say which command a reply answered
            }
        }
        String mtaStatus = statWord(stat);
        Double delay = Durations.sendmailClock(pairs.get("delay"));
        String relayIp = Addresses.bracketedIp(relay);
        if (relayIp == null && relay != null && Addresses.isIp(relay)) {
            relayIp = relay;
        }
        List<DeliveryResult> results = new ArrayList<>();
        String to = pairs.getOrDefault("to", "");
        for (String recipient : to.split(",")) {
            String r = Addresses.stripAngles(recipient.trim());
            if (r.isEmpty()) {
                continue;
            }
            results.add(new DeliveryResult(line.time(), line.host(), Mta.SENDMAIL, queueId, null, null, r, null,
                    relay, relayIp, status, mtaStatus, dsn, code, diagnostic, stage, delay, 0));
        }
        if (results.isEmpty()) {
            return LogEvent.NoResult.UNRECOGNISED;
        }
        return new LogEvent.Deliveries(List.copyOf(results), true);
    }

    /** Sent, Deferred, or the permanent texts (User unknown ...) told apart by the DSN class. */
    private static DeliveryStatus statusOf(String stat, String dsn) {
        if (stat.startsWith("Sent")) {
            return DeliveryStatus.DELIVERED;
        }
        if (stat.startsWith("Deferred") || (dsn != null && dsn.startsWith("4."))) {
            return DeliveryStatus.DEFERRED;
        }
        if (dsn != null && dsn.startsWith("5.")) {
            return DeliveryStatus.BOUNCED;
        }
        if (dsn != null && dsn.startsWith("2.")) {
            return DeliveryStatus.DELIVERED;
        }
        return null;
    }

    /** Sendmail's own word: the stat text before its detail ("Deferred", "User unknown", "Sent"). */
    private static String statWord(String stat) {
        int end = stat.length();
        int colon = stat.indexOf(':');
        int paren = stat.indexOf(" (");
        if (colon >= 0) {
            end = colon;
        }
        if (paren >= 0 && paren < end) {
            end = paren;
        }
        return stat.substring(0, end);
    }

    /** Index of {@code key} at the start or after ", " / "," (Sendmail once logged "dsn=5.0.0,stat="), from {@code from}. */
    private static int keyAt(String s, String key, int from) {
        int i = s.indexOf(key, Math.max(0, from));
        while (i >= 0) {
            if (i == 0 || s.charAt(i - 1) == ',' || (s.charAt(i - 1) == ' ' && i >= 2 && s.charAt(i - 2) == ',')) {
                return i;
            }
            i = s.indexOf(key, i + 1);
        }
        return -1;
    }

    private static String trimSeparator(String s) {
        String t = s.stripTrailing();
        return t.endsWith(",") ? t.substring(0, t.length() - 1) : t;
    }

    /** {@code k=v, k=v} pairs; values are cut at ", " so the to= list ({@code <a>,<b>}) stays whole. */
    private static Map<String, String> pairs(String s) {
        Map<String, String> pairs = new HashMap<>();
        for (String part : PAIR_SEPARATOR.split(s)) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                pairs.putIfAbsent(part.substring(0, eq).trim(), trimSeparator(part.substring(eq + 1)));
            }
        }
        return pairs;
    }
}
