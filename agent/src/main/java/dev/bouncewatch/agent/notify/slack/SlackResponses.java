package dev.bouncewatch.agent.notify.slack;

import dev.bouncewatch.agent.notify.DeliveryOutcome.Kind;
import dev.bouncewatch.agent.notify.DeliveryOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Slack's answer to an incoming-webhook POST means (research/notifications.md 3.3, from
 * Slack's 2016-05-17 changelog and the errors Alertmanager users reported). Slack answers with a
 * status and a short plain-text error word.
 */
final class SlackResponses {

    /** The hook or its channel is gone or forbidden: nothing we send will work until someone fixes it. */
    static final Set<String> PAUSE_ERRORS = Set.of("invalid_token", "no_service", "channel_is_archived",
            "action_prohibited", "no_team", "team_disabled", "channel_not_found", "no_active_hooks",
            "posting_to_general_channel_denied", "no_service_id", "invalid_auth", "account_inactive",
            "token_revoked");

    /** This message can never be accepted: a bug in what we built, not in the destination. */
    static final Set<String> DEAD_ERRORS = Set.of("invalid_payload", "too_many_attachments", "no_text",
            "invalid_blocks", "invalid_blocks_format", "invalid_attachments", "msg_blocks_too_long",
            "missing_text_or_fallback_or_attachments", "user_not_found", "message_too_long");

    /** Retry-After is capped so a bad header cannot park a destination for days. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private static final Pattern ERROR_WORD = Pattern.compile("[a-z_]{2,60}");
    private static final Pattern JSON_ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([a-z_]{2,60})\"");
    private static final Pattern JSON_RETRY_AFTER = Pattern.compile("\"retry_after\"\\s*:\\s*(\\d{1,6})");

    private SlackResponses() {
    }

    /**
     * @param body       the first bytes of the answer as text (bounded by the caller)
     * @param retryAfter the Retry-After header, or null
     */
    static DeliveryOutcome classify(int status, String body, String retryAfter, Instant now) {
        String error = errorWord(body);
        String detail = "HTTP " + status + (error.isEmpty() ? "" : " " + error);
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome(Kind.DELIVERED, null, "ok".equals(error) || error.isEmpty() ? detail : detail + " (unexpected answer)");
        }
        if (status == 429) {
            Duration wait = retryAfter(retryAfter, now);
            if (wait == null) {
                wait = jsonRetryAfter(body);
            }
            return new DeliveryOutcome(Kind.RETRY, wait == null ? Duration.ofSeconds(1) : wait, detail + ": rate limited");
        }
        if (status >= 300 && status < 400) {
            return new DeliveryOutcome(Kind.PAUSE, null, detail + ": the webhook URL redirects; redirects are never followed, "
                    + "use the URL Slack showed when the webhook was created");
        }
        if (status >= 500) {
            return new DeliveryOutcome(Kind.RETRY, retryAfter(retryAfter, now), detail + ": Slack-side error");
        }
        if (PAUSE_ERRORS.contains(error)) {
            return new DeliveryOutcome(Kind.PAUSE, null, detail + ": " + pauseAdvice(error));
        }
        if (DEAD_ERRORS.contains(error)) {
            return new DeliveryOutcome(Kind.DEAD, null, detail + ": Slack refused this message");
        }
        return switch (status) {
            case 408, 425 -> new DeliveryOutcome(Kind.RETRY, retryAfter(retryAfter, now), detail);
            case 401, 403, 404, 410 -> new DeliveryOutcome(Kind.PAUSE, null, detail + ": the webhook is not usable; check its URL");
            default -> new DeliveryOutcome(Kind.DEAD, null, detail + ": Slack refused this message");
        };
    }

    private static String pauseAdvice(String error) {
        return switch (error) {
            case "invalid_token", "token_revoked", "invalid_auth" -> "the webhook was revoked; create a new one and update the url";
            case "no_service", "no_service_id", "no_active_hooks" -> "the webhook was removed or disabled; create a new one and update the url";
            case "channel_is_archived" -> "the channel is archived; unarchive it or point the webhook at another channel";
            case "channel_not_found" -> "the channel was deleted; point the webhook at another channel";
            case "action_prohibited", "posting_to_general_channel_denied" -> "a workspace policy blocks posting; ask a Slack admin";
            default -> "the workspace is disabled or gone";
        };
    }

    /** The error word of a plain-text answer ({@code no_service}) or of a JSON one ({@code "error":"rate_limited"}). */
    static String errorWord(String body) {
        if (body == null) {
            return "";
        }
        String trimmed = body.strip();
        Matcher json = JSON_ERROR.matcher(trimmed);
        if (json.find()) {
            return json.group(1);
        }
        if (trimmed.startsWith("{") && trimmed.contains("\"ok\":true")) {
            return "ok";
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        return ERROR_WORD.matcher(lower).matches() ? lower : "";
    }

    /** Retry-After as delta-seconds or an HTTP date (RFC 9110 10.2.3), capped; null when absent or unreadable. */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        Duration d;
        if (h.chars().allMatch(Character::isDigit) && h.length() <= 9) {
            d = Duration.ofSeconds(Long.parseLong(h));
        } else {
            try {
                Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                d = Duration.between(now, at);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    private static Duration jsonRetryAfter(String body) {
        if (body == null) {
            return null;
        }
        Matcher m = JSON_RETRY_AFTER.matcher(body);
        if (!m.find()) {
            return null;
        }
        Duration d = Duration.ofSeconds(Long.parseLong(m.group(1)));
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }
}
