package dev.bouncewatch.agent.parse;

import java.time.Instant;

/**
 * A log line split into its syslog frame and the program's message.
 *
 * @param time    when it was logged; null when the prefix had no readable time (a bare message line,
 *                an unknown month name)
 * @param host    the host field; null when the line had none
 * @param program the syslog tag without the pid ({@code postfix-out/smtp}, {@code sm-mta}); null for bare lines
 * @param message the text after {@code program[pid]: }, or the whole line for bare lines
 */
public record SyslogLine(Instant time, String host, String program, String message) {

    /** A line without a syslog frame (Exim's own mainlog, an OpenSMTPD message quoted alone). */
    public static SyslogLine bare(String message) {
        return new SyslogLine(null, null, null, message);
    }
}
