package dev.bouncewatch.agent.parse;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-queue-id memory: sender, size and message-id from the lines around a delivery, and per recipient
 * the attempts so far and the last result. Adds what it knows to each delivery result and turns a
 * message expiry into one EXPIRED result per recipient still pending, carrying that recipient's last reply.
 * <p>
 * Memory is bounded whatever the input: at most {@code maxMessages} queue ids and {@code maxRecipients}
 * recipients in total (least recently used go first), and a queue id not seen for {@code staleAfter} of
 * log time is forgotten (Postfix gives up after 5 days by default, Exim and Sendmail similar).
 * Keys include the MTA and host, so a syslog stream of several servers does not mix their queue ids.
 */
public final class Correlator {

    /** A single message's recipients beyond this are not remembered (a list mailing): only attempts suffer. */
    private static final int MAX_RECIPIENTS_PER_MESSAGE = 10_000;

    private static final class Recipient {
        int attempts;
        DeliveryResult last;
    }

    private static final class Message {
        String sender;
        Long size;
        String messageId;
        long lastSeenEpoch = Long.MIN_VALUE;
        final Map<String, Recipient> recipients = new LinkedHashMap<>();
    }

    private final int maxMessages;
    private final int maxRecipients;
    private final long staleAfterSeconds;
    private final LinkedHashMap<Key, Message> messages = new LinkedHashMap<>(1024, 0.75f, true);
    private int recipientCount;
    private long evicted;

    public Correlator(int maxMessages, int maxRecipients, Duration staleAfter) {
        if (maxMessages < 1 || maxRecipients < 1 || staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("correlator limits must be positive: maxMessages=" + maxMessages
                    + ", maxRecipients=" + maxRecipients + ", staleAfter=" + staleAfter);
        }
        this.maxMessages = maxMessages;
        this.maxRecipients = maxRecipients;
        this.staleAfterSeconds = staleAfter.getSeconds();
    }

    /** Limits for a busy server: 200k queue ids, 1M recipients, 8 days. */
    public static Correlator withDefaults() {
        return new Correlator(200_000, 1_000_000, Duration.ofDays(8));
    }

    public int trackedMessages() {
        return messages.size();
    }

    public int trackedRecipients() {
        return recipientCount;
    }

    /** Queue ids forgotten because of the size limits or staleness. */
    public long evicted() {
        return evicted;
    }

    void onMessageInfo(String scope, LogEvent.MessageInfo info, Instant time) {
        Message m = message(scope, info.queueId(), time);
        if (info.sender() != null) {
            m.sender = info.sender();
        }
        if (info.size() != null) {
            m.size = info.size();
        }
        if (info.messageId() != null) {
            m.messageId = info.messageId();
        }
        trim();
    }

    void onDone(String scope, String queueId) {
        Message m = messages.remove(key(scope, queueId));
        if (m != null) {
            recipientCount -= m.recipients.size();
        }
    }

    List<DeliveryResult> onDeliveries(String scope, LogEvent.Deliveries event) {
        List<DeliveryResult> out = new ArrayList<>(event.results().size());
        for (DeliveryResult r : event.results()) {
            Message m = message(scope, r.queueId(), r.time());
            Recipient st = recipient(m, r.recipient());
            int attempts;
            if (st == null) {
                attempts = event.attempted() ? 1 : 0;
            } else {
                if (event.attempted()) {
                    st.attempts++;
                }
                attempts = st.attempts;
            }
            DeliveryResult enriched = enrich(r, m, attempts);
            if (st != null && (event.attempted() || st.last == null)) {
                st.last = enriched; // a line without an attempt ("retry time not reached") has no reply to carry
            }
            out.add(enriched);
        }
        trim();
        return out;
    }

    List<DeliveryResult> onExpiry(String scope, LogEvent.Expiry event) {
        DeliveryResult t = event.template();
        Message m = message(scope, t.queueId(), t.time());
        List<DeliveryResult> out = new ArrayList<>();
        if (event.wholeMessage()) {
            for (Recipient st : m.recipients.values()) {
                if (st.last != null && st.last.status() == DeliveryStatus.DEFERRED) {
                    DeliveryResult expired = expiredFrom(t, st, m);
                    st.last = expired;
                    out.add(expired);
                }
            }
            if (out.isEmpty()) { // we never saw its recipients (log started later): report the message
                out.add(enrich(t, m, 0));
            }
        } else {
            Recipient st = recipient(m, t.recipient());
            if (st != null && st.last != null) {
                DeliveryResult expired = expiredFrom(t, st, m);
                st.last = expired;
                out.add(expired);
            } else {
                DeliveryResult expired = enrich(t, m, st == null ? 0 : st.attempts);
                if (st != null) {
                    st.last = expired;
                }
                out.add(expired);
            }
        }
        trim();
        return out;
    }

    private static DeliveryResult enrich(DeliveryResult r, Message m, int attempts) {
        return new DeliveryResult(r.time(), r.host(), r.mta(), r.queueId(),
                r.messageId() != null ? r.messageId() : m.messageId,
                r.sender() != null ? r.sender() : m.sender,
                r.recipient(), r.origRecipient(), r.relay(), r.relayIp(), r.status(), r.mtaStatus(), r.dsn(),
                r.replyCode(), r.diagnostic(), r.stage(), r.delaySeconds(), attempts);
    }

    /** The expiry line's time and word, with the recipient's last reply (what the admin needs to act on). */
    private static DeliveryResult expiredFrom(DeliveryResult t, Recipient st, Message m) {
        DeliveryResult last = st.last;
        return new DeliveryResult(t.time(), t.host(), t.mta(), t.queueId(),
                m.messageId != null ? m.messageId : last.messageId(),
                t.sender() != null ? t.sender() : (m.sender != null ? m.sender : last.sender()),
                last.recipient(), last.origRecipient(), last.relay(), last.relayIp(), DeliveryStatus.EXPIRED,
                t.mtaStatus(), last.dsn(), last.replyCode(), last.diagnostic(), last.stage(),
                t.delaySeconds() != null ? t.delaySeconds() : null, st.attempts);
    }

    private Message message(String scope, String queueId, Instant time) {
        Key k = key(scope, queueId);
        Message m = messages.get(k);
        if (m == null) {
            m = new Message();
            messages.put(k, m);
        }
        if (time != null) {
            long epoch = time.getEpochSecond();
            if (epoch > m.lastSeenEpoch) {
                m.lastSeenEpoch = epoch;
            }
            forgetStale(epoch);
        }
        return m;
    }

    private Recipient recipient(Message m, String recipient) {
        if (recipient == null) {
            return null;
        }
        Recipient st = m.recipients.get(recipient);
        if (st == null && m.recipients.size() < MAX_RECIPIENTS_PER_MESSAGE) {
            st = new Recipient();
            m.recipients.put(recipient, st);
            recipientCount++;
        }
        return st;
    }

    /** Drops the least recently used queue ids whose last line is older than the stale limit. */
    private void forgetStale(long nowEpoch) {
        Iterator<Map.Entry<Key, Message>> it = messages.entrySet().iterator();
        int checked = 0;
        while (it.hasNext() && checked++ < 8) { // amortised: a few per line keeps the cost flat
            Message eldest = it.next().getValue();
            if (eldest.lastSeenEpoch == Long.MIN_VALUE || nowEpoch - eldest.lastSeenEpoch <= staleAfterSeconds) {
                return;
            }
            recipientCount -= eldest.recipients.size();
            it.remove();
            evicted++;
        }
    }

    private void trim() {
        Iterator<Map.Entry<Key, Message>> it = messages.entrySet().iterator();
        while ((messages.size() > maxMessages || recipientCount > maxRecipients) && it.hasNext()) {
            Message eldest = it.next().getValue();
            recipientCount -= eldest.recipients.size();
            it.remove();
            evicted++;
        }
    }

    private static Key key(String scope, String queueId) {
        return new Key(scope, queueId);
    }

    /** Queue ids are unique per MTA and host only; a record, not a concatenated string, saves a copy per line. */
    private record Key(String scope, String queueId) {
    }
}
