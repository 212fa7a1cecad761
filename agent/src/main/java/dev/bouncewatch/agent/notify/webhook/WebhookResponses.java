package dev.bouncewatch.agent.notify.webhook;

import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.DeliveryOutcome.Kind;
import dev.bouncewatch.agent.notify.RemoteText;
import dev.bouncewatch.agent.notify.delivery.RetryAfter;
import java.time.Duration;
import java.time.Instant;

/**
 * What a webhook receiver's answer means for the entry (notifications.md 9.4, Standard Webhooks
 * delivery advice):
 * <ul>
 *   <li>2xx: delivered.</li>
 *   <li>{@code webhook-delivery: abort-message} (Svix's convention) with any non-2xx, 406 (Mailgun's
 *       "do not retry"), 400, 413, 422: the receiver will never take this body: dead letter.</li>
 *   <li>401, 403, 404, 410: the endpoint itself is wrong (credentials, path, deleted): pause the
 *       destination rather than burn the retry budget of every queued entry.</li>
 *   <li>3xx (never followed: a redirect could send signed events elsewhere), 408, 429, 5xx and
 *       anything else: retry on the schedule, after Retry-After when the receiver gave one.</li>
 * </ul>
 */
public final class WebhookResponses {

    public static final String DELIVERY_HEADER = "webhook-delivery";
    public static final String ABORT_MESSAGE = "abort-message";
    private static final int MAX_DETAIL = 300;

    private WebhookResponses() {
    }

    /**
     * @param retryAfter   the Retry-After header or null
     * @param deliveryHint the webhook-delivery header or null
     * @param body         the start of the response body (already bounded), or ""
     */
    public static DeliveryOutcome classify(int status, String retryAfter, String deliveryHint, String body, Instant now) {
        String detail = detail(status, body);
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome(Kind.DELIVERED, null, detail);
        }
        if (deliveryHint != null && deliveryHint.strip().equalsIgnoreCase(ABORT_MESSAGE)) {
            return new DeliveryOutcome(Kind.DEAD, null, detail + " (receiver asked: abort-message)");
        }
        return switch (status) {
            case 400, 406, 413, 422 -> new DeliveryOutcome(Kind.DEAD, null, detail);
            case 401, 403, 404, 410 -> new DeliveryOutcome(Kind.PAUSE, null, detail);
            default -> {
                Duration wait = RetryAfter.parse(retryAfter, now).orElse(null);
                String redirect = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
                yield new DeliveryOutcome(Kind.RETRY, wait, detail + redirect);
            }
        };
    }

    private static String detail(int status, String body) {
        String b = body == null ? "" : RemoteText.escapeControls(body.strip());
        return RemoteText.bounded("HTTP " + status + (b.isEmpty() ? "" : ": " + b), MAX_DETAIL);
    }
}
