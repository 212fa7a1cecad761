package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;

import java.util.List;

/**
 * Postfix lines. Every delivery agent (smtp, lmtp, local, virtual, pipe, error, retry, discard) writes
 * results through {@code log_adhoc()}: {@code QID: to=<a>[, orig_to=<b>], relay=R[, conn_use=N], delay=T,
 * delays=a/b/c/d[, tls=F], dsn=X.Y.Z, status=WORD (TEXT)}. Keys are read position-agnostic up to
 * {@code status=} so new fields ({@code tls=} in 3.11) and old logs without {@code dsn=} both work;
 * TEXT is taken up to the line's last ')' because replies contain parentheses themselves.
 */
final class PostfixLineParser implements MtaLineParser {

    private static final String SUSPENDED = "delivery temporarily suspended: ";
    private static final String[] REJECT_ACTIONS = {"reject", "milter-reject", "reject_warning"};
    private static final String[] PAIR_KEYS = {"; from=<", "; to=<", "; proto=", "; helo=<"};

    private final StagePhrases phrases;

    PostfixLineParser(StagePhrases phrases) {
        this.phrases = phrases;
    }

    /** True for a syslog tag written by Postfix: {@code postfix/smtp}, {@code postfix-out/smtp}, {@code postfix-10.1.2.3/qmgr}. */
    static boolean isPostfixProgram(String program) {
        return program.startsWith("postfix") && program.indexOf('/') > 0;
    }

    @Override
    public LogEvent parse(SyslogLine line) {
        String msg = line.message();
        if (msg.startsWith("proxy-reject: ")) {
            return reject(line, null, "proxy-reject", msg.substring(14));
        }
        int idEnd = queueIdEnd(msg);
        if (idEnd < 0) {
            return LogEvent.NoResult.CONTEXT;
        }
        String queueId = msg.substring(0, idEnd);
        int r = idEnd + 2;
        if (msg.startsWith("to=", r)) {
            return delivery(line, queueId, msg, r + 3);
        }
        if (msg.startsWith("from=", r)) {
            return fromLine(line, queueId, msg, r + 5);
        }
        if (msg.startsWith("message-id=", r)) {
            String id = msg.substring(r + 11).trim();
            return new LogEvent.MessageInfo(queueId, null, null, Addresses.stripAngles(id));
        }
        if (msg.length() == r + 7 && msg.startsWith("removed", r)) {
            return new LogEvent.MessageDone(queueId);
        }
        String id = "NOQUEUE".equals(queueId) ? null : queueId;
        for (String action : REJECT_ACTIONS) {
            if (msg.startsWith(action, r) && msg.startsWith(": ", r + action.length())) {
                return reject(line, id, action, msg.substring(r + action.length() + 2));
            }
        }
        return LogEvent.NoResult.CONTEXT;
    }

    /**
     * The end of a leading queue id followed by ": ", or -1. Short ids are upper-case hex, long ids mix
     * cases and digits; a word without digits or capitals is a label ("warning: ..."), not an id.
     */
    static int queueIdEnd(String msg) {
        int n = Math.min(msg.length(), 40);
        int i = 0;
        boolean digitOrUpper = false;
        while (i < n) {
            char c = msg.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
                digitOrUpper = true;
            } else if (!(c >= 'a' && c <= 'z')) {
                break;
            }
            i++;
        }
        if (i < 5 || !digitOrUpper || i + 1 >= msg.length() || msg.charAt(i) != ':' || msg.charAt(i + 1) != ' ') {
            return -1;
        }
        return i;
    }

    private LogEvent delivery(SyslogLine line, String queueId, String msg, int i) {
        int n = msg.length();
        String recipient;
        if (i < n && msg.charAt(i) == '<') {
            int end = addressEnd(msg, i + 1);
            if (end < 0) {
                return LogEvent.NoResult.TRUNCATED;
            }
            recipient = msg.substring(i + 1, end);
            i = end + 1;
        } else { // very old Postfix and some local deliveries: to=user@host, without brackets
            int end = msg.indexOf(',', i);
            if (end < 0) {
                return LogEvent.NoResult.TRUNCATED;
            }
            recipient = msg.substring(i, end);
            i = end;
        }
        String origTo = null;
        String relay = null;
        String delay = null;
        String dsn = null;
        while (true) {
            while (i < n && (msg.charAt(i) == ',' || msg.charAt(i) == ' ')) {
                i++;
            }
            int eq = msg.indexOf('=', i);
            if (eq < 0 || eq - i > 16) {
                return LogEvent.NoResult.TRUNCATED; // "to=<a> (in reply to RCPT TO command)": cut before status=
            }
            String key = msg.substring(i, eq);
            if (key.equals("status")) {
                return status(line, queueId, msg, eq + 1, recipient, origTo, relay, delay, dsn);
            }
            int v = eq + 1;
            int end;
            if (v < n && msg.charAt(v) == '<') {
                end = addressEnd(msg, v + 1);
                if (end < 0) {
                    return LogEvent.NoResult.TRUNCATED;
                }
                end++;
            } else {
                end = v;
                while (end < n && msg.charAt(end) != ',' && msg.charAt(end) != ' ') {
                    end++;
                }
            }
            String value = msg.substring(v, end);
            switch (key) {
                case "orig_to": origTo = Addresses.stripAngles(value); break;
                case "relay": relay = value; break;
                case "delay": delay = value; break;
                case "dsn": dsn = value; break;
                default: break; // conn_use, delays, tls and whatever later versions add
            }
            if (end >= n) {
                return LogEvent.NoResult.TRUNCATED;
            }
            i = end;
        }
    }

    /** Index of the '>' closing an address that began before {@code from}: the one followed by ',' or the end. */
    private static int addressEnd(String msg, int from) {
        int i = from;
        while (true) {
            int gt = msg.indexOf('>', i);
            if (gt < 0) {
                return -1;
            }
            if (gt + 1 == msg.length() || msg.charAt(gt + 1) == ',') {
                return gt;
            }
            i = gt + 1;
        }
    }

    private LogEvent status(SyslogLine line, String queueId, String msg, int w, String recipient, String origTo,
                            String relay, String delay, String dsn) {
        int n = msg.length();
        int wordEnd = w;
        while (wordEnd < n && msg.charAt(wordEnd) != ' ') {
            wordEnd++;
        }
        String word = msg.substring(w, wordEnd);
        DeliveryStatus status = statusOf(word);
        if (status == null || status == DeliveryStatus.EXPIRED) {
            return LogEvent.NoResult.UNRECOGNISED;
        }
        String reason = "";
        if (wordEnd + 1 < n && msg.charAt(wordEnd + 1) == '(') {
            // The text runs to the line's last ')'; a line cut short (maillog_file's 2000 chars, a wrapped
            // line) keeps what is there: the status word is what matters.
            int end = msg.charAt(n - 1) == ')' ? n - 1 : n;
            reason = msg.substring(wordEnd + 2, end);
        }
        Reason why = analyse(reason, word);
        String relayIp = Addresses.bracketedIp(relay);
        if (relayIp == null) {
            relayIp = why.remoteIp;
        }
        if (dsn == null) {
            dsn = why.enhanced;
        }
        DeliveryResult result = new DeliveryResult(line.time(), line.host(), Mta.POSTFIX, queueId, null, null,
                recipient, origTo, relay, relayIp, status, word, dsn, why.code, why.diagnostic, why.stage,
                Durations.decimalSeconds(delay), 0);
        return new LogEvent.Deliveries(List.of(result), true);
    }

    /** Postfix's status words (log_adhoc callers: sent, defer_append, bounce_append, verify_append). */
    static DeliveryStatus statusOf(String word) {
        switch (word) {
            case "sent":
            case "deliverable":
                return DeliveryStatus.DELIVERED;
            case "deferred":
            case "SOFTBOUNCE": // soft_bounce = yes: a bounce kept in the queue
                return DeliveryStatus.DEFERRED;
            case "bounced":
            case "undeliverable":
            case "undeliverable-but-not-cached":
                return DeliveryStatus.BOUNCED;
            case "expired":
            case "force-expired":
                return DeliveryStatus.EXPIRED;
            default:
                return null;
        }
    }

    private record Reason(Integer code, String enhanced, String diagnostic, SmtpStage stage, String remoteIp) {
    }

    /** Reply code, stage and remote text from the parenthesised reason of a delivery line. */
    private Reason analyse(String reason, String statusWord) {
        if (reason.isEmpty()) {
            return new Reason(null, null, null, SmtpStage.NONE, null);
        }
        String text = reason;
        while (text.startsWith(SUSPENDED)) {
            text = text.substring(SUSPENDED.length());
        }
        SmtpStage stage = null;
        String body = text;
        int inReply = text.lastIndexOf("(in reply to ");
        if (inReply >= 0 && text.endsWith(")")) {
            stage = phrases.prefixOf(StagePhrases.POSTFIX_IN_REPLY_TO, text, inReply + 13);
            if (stage == null) {
                stage = SmtpStage.NONE;
            }
            body = text.substring(0, inReply).stripTrailing();
        }
        Integer code = null;
        String enhanced = null;
        String diagnostic = reason;
        String remoteIp = null;
        if (body.startsWith("host ")) {
            int said = body.indexOf(" said: ");
            int refused = body.indexOf(" refused to talk to me: ");
            int split = said;
            int skip = 7;
            if (said < 0 || (refused >= 0 && refused < said)) {
                split = refused;
                skip = 24;
                if (refused >= 0 && stage == null) {
                    stage = SmtpStage.CONNECT; // a rejected banner or EHLO: the session never started
                }
            }
            if (split > 0) {
                remoteIp = Addresses.bracketedIp(body.substring(5, split));
                String reply = body.substring(split + skip);
                code = codeOrNull(reply);
                diagnostic = ReplyText.unfoldPostfix(reply);
                enhanced = ReplyText.enhancedAfterCode(diagnostic);
            }
        } else if (ReplyText.code(body, 0) >= 0) { // "250 2.0.0 Ok: queued as ..." of a successful hop
            code = codeOrNull(body);
            diagnostic = ReplyText.unfoldPostfix(body);
            enhanced = ReplyText.enhancedAfterCode(diagnostic);
        }
        if (stage == null && (body.startsWith("lost connection with ") || body.startsWith("conversation with "))) {
            int w = body.indexOf(" while ");
            if (w > 0) {
                stage = phrases.prefixOf(StagePhrases.POSTFIX_WHILE, body, w + 7);
            }
        }
        if (stage == null) {
            stage = phrases.containedIn(StagePhrases.POSTFIX_CONTAINS, body);
        }
        if (stage == null && code != null) {
            // a successful remote reply answers end of DATA; an address probe stops after RCPT
            if (statusWord.equals("sent")) {
                stage = SmtpStage.DATA_END;
            } else if (statusWord.startsWith("deliverable") || statusWord.startsWith("undeliverable")) {
                stage = SmtpStage.RCPT;
            }
        }
        return new Reason(code, enhanced, diagnostic, stage == null ? SmtpStage.NONE : stage, remoteIp);
    }

    private static Integer codeOrNull(String reply) {
        int code = ReplyText.code(reply, 0);
        return code < 0 ? null : code;
    }

    /** qmgr: {@code from=<s>, size=N, nrcpt=N (queue active)} or {@code from=<s>, status=expired, returned to sender}. */
    private LogEvent fromLine(SyslogLine line, String queueId, String msg, int i) {
        String sender;
        int after;
        if (i < msg.length() && msg.charAt(i) == '<') {
            int end = addressEnd(msg, i + 1);
            if (end < 0) {
                return LogEvent.NoResult.TRUNCATED;
            }
            sender = msg.substring(i + 1, end);
            after = end + 1;
        } else {
            int end = msg.indexOf(',', i);
            after = end < 0 ? msg.length() : end;
            sender = msg.substring(i, after);
        }
        int statusAt = msg.indexOf("status=", after);
        if (statusAt >= 0) {
            int end = msg.indexOf(',', statusAt);
            String word = msg.substring(statusAt + 7, end < 0 ? msg.length() : end);
            if (statusOf(word) != DeliveryStatus.EXPIRED) {
                return LogEvent.NoResult.UNRECOGNISED;
            }
            DeliveryResult template = new DeliveryResult(line.time(), line.host(), Mta.POSTFIX, queueId, null,
                    sender, null, null, null, null, DeliveryStatus.EXPIRED, word, null, null, null,
                    SmtpStage.NONE, null, 0);
            return new LogEvent.Expiry(template, true);
        }
        Long size = null;
        int sizeAt = msg.indexOf("size=", after);
        if (sizeAt >= 0) {
            int end = sizeAt + 5;
            while (end < msg.length() && TimestampParser.isDigit(msg.charAt(end))) {
                end++;
            }
            if (end > sizeAt + 5 && end - sizeAt - 5 < 19) {
                size = Long.parseLong(msg.substring(sizeAt + 5, end));
            }
        }
        return new LogEvent.MessageInfo(queueId, sender, size, null);
    }

    /**
     * smtpd/postscreen/cleanup: {@code ACTION: COMMAND from CLIENT: TEXT; from=<a> to=<b> proto=P helo=<h>}
     * (postscreen separates the trailing pairs with commas).
     */
    private static LogEvent reject(SyslogLine line, String queueId, String action, String rest) {
        String command;
        String client = null;
        String text;
        int from = rest.indexOf(" from ");
        int colon = rest.indexOf(": ");
        if (from > 0 && (colon < 0 || from < colon)) {
            command = rest.substring(0, from);
            int clientEnd = rest.indexOf(": ", from + 6);
            if (clientEnd < 0) {
                client = rest.substring(from + 6);
                text = "";
            } else {
                client = rest.substring(from + 6, clientEnd);
                text = rest.substring(clientEnd + 2);
            }
        } else if (colon > 0) { // proxy-reject: END-OF-MESSAGE: 554 ...
            command = rest.substring(0, colon);
            text = rest.substring(colon + 2);
        } else {
            command = null;
            text = rest;
        }
        String pairs = "";
        int semi = lastPairsStart(text);
        if (semi >= 0) {
            pairs = text.substring(semi + 2);
            text = text.substring(0, semi);
        }
        Integer code = codeOrNull(text);
        String dsn = code == null ? ReplyText.enhancedCode(text, 0) : ReplyText.enhancedAfterCode(text);
        return new InboundReject(line.time(), line.host(), Mta.POSTFIX, queueId, action, command, client,
                Addresses.bracketedIp(client), code, dsn, text, bracketValue(pairs, "from=<"),
                bracketValue(pairs, "to=<"), bracketValue(pairs, "helo=<"));
    }

    private static int lastPairsStart(String text) {
        int best = -1;
        for (String key : PAIR_KEYS) {
            int at = text.lastIndexOf(key);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    private static String bracketValue(String pairs, String key) {
        int at = pairs.indexOf(key);
        if (at < 0) {
            return null;
        }
        int end = pairs.indexOf('>', at + key.length());
        return end < 0 ? null : pairs.substring(at + key.length(), end);
    }
}
