package dev.bouncewatch.agent.notify.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests per the Standard Webhooks spec, symmetric scheme {@code v1}: base64 of
 * HMAC-SHA256 over {@code id + "." + timestamp + "." + body}. With several secrets (a rotation) the
 * {@code webhook-signature} header carries one signature per secret, space separated, so the
 * receiver accepts with either the old or the new one.
 */
public final class WebhookSigner {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    private static final String HMAC = "HmacSHA256";

    private final List<SecretKeySpec> keys;

    /** @param secrets at least one; the first is the current one, the others are still accepted by receivers */
    public WebhookSigner(List<WebhookSecret> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret");
        }
        this.keys = secrets.stream().map(s -> new SecretKeySpec(s.key(), HMAC)).toList();
    }

    /**
     * The {@code webhook-signature} value for these exact body bytes.
     *
     * @param id        the webhook-id (must not contain '.', which separates the signed parts)
     * @param timestamp Unix seconds of this attempt
     */
    public String signature(String id, long timestamp, byte[] body) {
        if (id.indexOf('.') >= 0) {
            throw new IllegalArgumentException("a webhook-id must not contain '.'");
        }
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder();
        for (SecretKeySpec key : keys) {
            Mac mac = newMac(key); // a Mac is not thread safe; a new one per call is cheap next to the HTTP call
            mac.update(prefix);
            mac.update(body);
            if (header.length() > 0) {
                header.append(' ');
            }
            header.append("v1,").append(Base64.getEncoder().encodeToString(mac.doFinal()));
        }
        return header.toString();
    }

    public String signature(String id, long timestamp, String body) {
        return signature(id, timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    public int secretCount() {
        return keys.size();
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
