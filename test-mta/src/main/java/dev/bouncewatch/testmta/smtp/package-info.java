/**
 * The SMTP wire: the reply model ({@link dev.bouncewatch.testmta.smtp.Reply}) and the server-side
 * codec netty-codec-smtp lacks. {@link dev.bouncewatch.testmta.smtp.SmtpServerDecoder} turns bytes
 * into command lines, body chunks and ends of data; {@link dev.bouncewatch.testmta.smtp.SmtpServerEncoder}
 * writes Netty's {@code SmtpResponse} as RFC 5321 reply lines.
 */
package dev.bouncewatch.testmta.smtp;
