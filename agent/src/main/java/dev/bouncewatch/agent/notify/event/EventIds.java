package dev.bouncewatch.agent.notify.event;

import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Event ids: {@code evt_} plus 26 base32 characters (128 bits). Ids of result and suppression events
 * are derived from what they describe, so building the event again (a re-run, a retry, a replay)
 * gives the same id and the receiver's dedup on {@code webhook-id} holds. The row id alone would not
 * do: a fresh database numbers its rows from 1 again, and a receiver would then drop new events as
 * duplicates of old ones. So the hash also covers the result's own content.
 */
public final class EventIds {

    public static final String PREFIX = "evt_";
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray(); // Crockford, lower case
    private static final SecureRandom RANDOM = new SecureRandom();

    private EventIds() {
    }

    /** The id of the message event for a stored result. */
    public static String forResult(StoredResult r) {
        var d = r.result();
        return PREFIX + hash("result", Long.toString(r.id()), r.source(),
                d.time() == null ? "" : Long.toString(d.time().toEpochMilli()), d.queueId(), d.recipient(),
                d.status().wireName(), d.dsn(), Integer.toString(d.attempts()));
    }

    /** The id of the recipient.suppressed event for a list entry. */
    public static String forSuppression(Suppression s) {
        return PREFIX + hash("suppression", s.address(), Long.toString(s.createdAt().toEpochMilli()),
                String.valueOf(s.resultId()));
    }

    /** A new random id, for events that describe nothing stored (test pings). */
    public static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return PREFIX + base32(bytes);
    }

    /** A stable id for any list of parts (alert state changes, health events keyed by their cause). */
    public static String derived(String kind, String... parts) {
        String[] all = new String[parts.length + 1];
        all[0] = kind;
        System.arraycopy(parts, 0, all, 1, parts.length);
        return PREFIX + hash(all);
    }

    private static String hash(String... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
        for (String part : parts) {
            sha.update(Objects.requireNonNullElse(part, "").getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0); // separator: ("ab","c") and ("a","bc") must differ
        }
        byte[] digest = sha.digest();
        byte[] first16 = new byte[16];
        System.arraycopy(digest, 0, first16, 0, 16);
        return base32(first16);
    }

    /** 128 bits as 26 base32 digits, most significant first. */
    static String base32(byte[] sixteenBytes) {
        StringBuilder sb = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (byte b : sixteenBytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }
}
