package dev.bouncewatch.agent.notify.webhook;

import java.util.Arrays;
import java.util.Base64;

/**
 * A Standard Webhooks signing secret: {@code whsec_} followed by the standard base64 of 24 to 64
 * random bytes. The HMAC key is the decoded bytes, not the text. Messages about a bad secret never
 * repeat it.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    public static final int MIN_BYTES = 24;
    public static final int MAX_BYTES = 64;

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /**
     * @throws IllegalArgumentException when the text is not {@code whsec_<base64 of 24..64 bytes>};
     *                                  the message says what is wrong without showing the secret
     */
    public static WebhookSecret parse(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with '" + PREFIX
                    + "' followed by base64 of 24 to 64 random bytes; make one with: echo \"whsec_$(head -c 32 /dev/urandom | base64)\"");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(trimmed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the part after '" + PREFIX + "' is not standard base64");
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new IllegalArgumentException("the secret decodes to " + key.length + " bytes; Standard Webhooks asks for "
                    + MIN_BYTES + " to " + MAX_BYTES);
        }
        return new WebhookSecret(key);
    }

    /** A copy of the HMAC key. */
    byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookSecret other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "WebhookSecret[" + key.length + " bytes]";
    }
}
