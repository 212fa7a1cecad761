package dev.bouncewatch.agent.classify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why a delivery failed, in Sisimai's v5.1 reason vocabulary (lower-case wire names), plus
 * {@code delivered}. {@code hard} follows Sisimai: only reasons about the address itself are hard
 * bounces, whatever the reply code says (a full mailbox is soft even with a 552).
 */
public enum Category {
    // recipient problems
    USERUNKNOWN(true, Action.SUPPRESS, Action.RETRY,
            "The address does not exist at the destination; remove it from your lists."),
    HOSTUNKNOWN(true, Action.SUPPRESS, Action.RETRY,
            "The recipient domain does not exist or cannot be routed; check the address for a typo and remove it."),
    HASMOVED(true, Action.SUPPRESS, Action.SUPPRESS,
            "The mailbox has moved with no forwarding; remove the address or update it to the new one if the reply names it."),
    NOTACCEPT(true, Action.SUPPRESS, Action.RETRY,
            "The recipient domain accepts no mail at all (null MX or no SMTP service); remove addresses at that domain."),
    SUSPEND(false, Action.SUPPRESS, Action.RETRY,
            "The recipient's account is disabled or inactive; stop sending to it and re-check only after weeks."),
    MAILBOXFULL(false, Action.RETRY, Action.RETRY,
            "The recipient's mailbox is full; retry later and suppress only after repeated failures over weeks."),
    FILTERED(false, Action.SUPPRESS, Action.RETRY,
            "The recipient's side refused mail from this sender; stop sending this sender to this recipient."),
    SYSTEMFULL(false, Action.RETRY, Action.RETRY,
            "The destination server is out of storage; retry later, nothing to fix on your side."),
    // size
    MESGTOOBIG(false, Action.REDUCE_SIZE, Action.REDUCE_SIZE,
            "The message is larger than the destination accepts; send it smaller (link large attachments instead)."),
    EXCEEDLIMIT(false, Action.REDUCE_SIZE, Action.REDUCE_SIZE,
            "The message exceeds a size or header limit set for this recipient; send it smaller."),
    // sender reputation, policy, content
    BLOCKED(false, Action.CHECK_BLOCKLIST, Action.CHECK_BLOCKLIST,
            "The destination refused our sending IP or host; check the blocklists it names, fix the cause and request delisting."),
    BADREPUTATION(false, Action.CHECK_REPUTATION, Action.CHECK_REPUTATION,
            "The destination distrusts our IP or domain reputation; lower volume, check complaint rates and the provider's postmaster tools."),
    SPAMDETECTED(false, Action.FIX_CONTENT, Action.FIX_CONTENT,
            "The message was judged to be spam; review its content, links and list hygiene before sending again."),
    VIRUSDETECTED(false, Action.FIX_CONTENT, Action.FIX_CONTENT,
            "The message was judged to carry malware; scan the attachments and resend only when clean."),
    POLICYVIOLATION(false, Action.CONTACT_RECIPIENT_ADMIN, Action.CONTACT_RECIPIENT_ADMIN,
            "The recipient organisation's policy refused the message; adjust it or ask the recipient's admin what is allowed."),
    CONTENTERROR(false, Action.FIX_CONTENT, Action.FIX_CONTENT,
            "The message is malformed (headers, MIME, 8-bit data); fix how it is built."),
    NOTCOMPLIANTRFC(false, Action.FIX_CONTENT, Action.FIX_CONTENT,
            "The message breaks RFC 5322 (duplicate or missing headers, bad From or Message-ID); fix how it is built."),
    AUTHFAILURE(false, Action.FIX_AUTHENTICATION, Action.FIX_AUTHENTICATION,
            "SPF, DKIM or DMARC did not pass; fix the sending domain's records and DKIM signing so they align with the From domain."),
    REQUIREPTR(false, Action.FIX_DNS, Action.FIX_DNS,
            "Our sending IP lacks matching reverse DNS; set a PTR record that resolves back to the IP and use that name in HELO."),
    REJECTED(false, Action.FIX_SENDER, Action.FIX_SENDER,
            "The envelope sender was refused; use a sender address whose domain resolves and is allowed to send here."),
    NORELAYING(false, Action.FIX_ROUTING, Action.FIX_ROUTING,
            "The server will not relay for this recipient; check the MX or smart host you route to and any SMTP AUTH it needs."),
    SECURITYERROR(false, Action.FIX_CREDENTIALS, Action.FIX_CREDENTIALS,
            "The hop requires authentication or encryption we did not provide; check credentials and TLS for this route."),
    FAILEDSTARTTLS(false, Action.FIX_TLS, Action.FIX_TLS,
            "TLS is required or failed on this hop; check STARTTLS support, certificates and protocol versions."),
    // rate limits
    SPEEDING(false, Action.REDUCE_RATE, Action.REDUCE_RATE,
            "We are sending too fast for this destination or recipient; slow down and let the MTA back off."),
    TOOMANYCONN(false, Action.REDUCE_RATE, Action.REDUCE_RATE,
            "Too many connections or recipients per message; lower concurrency and recipients per transaction."),
    // transport and system
    EXPIRED(false, Action.INVESTIGATE, Action.RETRY,
            "Delivery kept failing until the MTA gave up; check whether the destination is reachable if this repeats."),
    NETWORKERROR(false, Action.INVESTIGATE, Action.RETRY,
            "A DNS, routing or connection problem stopped delivery; check DNS and reachability, and look for mail loops."),
    SYSTEMERROR(false, Action.CONTACT_RECIPIENT_ADMIN, Action.RETRY,
            "The destination server had an internal error; retry later and contact its postmaster if it persists."),
    MAILERERROR(false, Action.CONTACT_RECIPIENT_ADMIN, Action.RETRY,
            "The destination's local delivery program failed; contact its postmaster."),
    SYNTAXERROR(false, Action.INVESTIGATE, Action.INVESTIGATE,
            "The destination did not understand our SMTP commands; check the sending MTA or client for a protocol bug."),
    // unknown and ours
    ONHOLD(false, Action.INVESTIGATE, Action.RETRY,
            "No rule explains this reply yet; read the text and add a rule if it recurs."),
    UNDEFINED(false, Action.INVESTIGATE, Action.RETRY,
            "There was no error text to classify; read the MTA log around this result."),
    SUPPRESSED(false, Action.NONE, Action.NONE,
            "Not sent because the address is on our suppression list."),
    DELIVERED(false, Action.NONE, Action.NONE,
            "Delivered; nothing to do.");

    /** Names used by newer Sisimai versions (Dec 2025 merges) accepted in rule files. */
    private static final Map<String, Category> ALIASES = Map.of(
            "ratelimited", SPEEDING,
            "emailtoolarge", MESGTOOBIG);
    private static final Map<String, Category> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Category::wireName, Function.identity()));

    private final boolean hard;
    private final Action permanentAction;
    private final Action transientAction;
    private final String advice;

    Category(boolean hard, Action permanentAction, Action transientAction, String advice) {
        this.hard = hard;
        this.permanentAction = permanentAction;
        this.transientAction = transientAction;
        this.advice = advice;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Sisimai's hard-bounce reasons; the classifier also requires a permanent reply. */
    public boolean hard() {
        return hard;
    }

    /** The default action for a reply of this category and severity. */
    public Action defaultAction(Severity severity) {
        return severity == Severity.TRANSIENT ? transientAction : permanentAction;
    }

    public String defaultAdvice() {
        return advice;
    }

    public static Optional<Category> fromWireName(String s) {
        String key = s.trim().toLowerCase(Locale.ROOT);
        Category c = BY_WIRE_NAME.get(key);
        return Optional.ofNullable(c != null ? c : ALIASES.get(key));
    }
}
