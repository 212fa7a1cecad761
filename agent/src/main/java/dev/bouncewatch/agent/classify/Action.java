package dev.bouncewatch.agent.classify;

import java.util.Locale;

/** What a person (or the agent) should do about a result. Wire names are lower case with dashes. */
public enum Action {
    /** Stop sending to the address: it does not exist or will not take mail. */
    SUPPRESS,
    /** Nothing to fix: the MTA retries, or a later send will work. */
    RETRY,
    /** Fix SPF, DKIM or DMARC alignment of the sending domain. */
    FIX_AUTHENTICATION,
    /** Our IP or domain is on a blocklist: look it up and request delisting. */
    CHECK_BLOCKLIST,
    /** Our IP or domain has a poor reputation: lower volume, check complaint rates, warm up. */
    CHECK_REPUTATION,
    /** Send slower or with fewer connections or recipients per message. */
    REDUCE_RATE,
    /** Change the message: spam-like content, malware, malformed headers. */
    FIX_CONTENT,
    /** Make the message smaller. */
    REDUCE_SIZE,
    /** Fix DNS of the sending side: PTR / forward-confirmed reverse DNS, HELO name. */
    FIX_DNS,
    /** Fix TLS: STARTTLS support, certificates, protocol versions, MTA-STS / DANE. */
    FIX_TLS,
    /** Fix SMTP AUTH credentials or authorisation for this hop. */
    FIX_CREDENTIALS,
    /** Fix the envelope sender (MAIL FROM domain, sender verification, BATV). */
    FIX_SENDER,
    /** Fix routing: stale MX, wrong smart host, relay without authorisation. */
    FIX_ROUTING,
    /** The recipient's side refuses by policy or is broken: talk to its postmaster. */
    CONTACT_RECIPIENT_ADMIN,
    /** Nobody knows yet: read the text, maybe write a rule. */
    INVESTIGATE,
    /** Delivered: nothing to do. */
    NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Action fromWireName(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
