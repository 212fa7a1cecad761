package dev.bouncewatch.testmta.smtp;

/** A command line the decoder dropped; the session answers it like a command (one reply per line). */
public record LineError(Kind kind) {

    public enum Kind {
        /** Longer than the configured cap, CRLF included; the rest up to the next line end was skipped. */
        TOO_LONG,
        /** Ended by a bare LF while the policy rejects them (SMTP smuggling hardening). */
        BARE_LINE_FEED
    }
}
