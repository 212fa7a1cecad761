package dev.bouncewatch.agent.model;

import java.util.Locale;

/**
 * The SMTP step a remote reply answered: it changes what a reply means (a 550 at MAIL is about the
 * sender, at RCPT about the recipient, after DATA about the content). NONE when no SMTP reply was
 * involved (local delivery, connection refused before the greeting counts as CONNECT).
 */
public enum SmtpStage {
    CONNECT, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, DATA_END, NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SmtpStage fromWireName(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
