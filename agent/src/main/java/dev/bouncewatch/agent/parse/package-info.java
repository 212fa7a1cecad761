/**
 * From MTA log lines to delivery results.
 * <p>
 * A line flows: {@link dev.bouncewatch.agent.parse.LogLineReader} (bytes to lines, UTF-8 with
 * replacement, gzip, bounded length) &rarr; {@link dev.bouncewatch.agent.parse.LogParser#accept(String)}
 * which splits the syslog frame ({@code SyslogPrefixParser}, {@code TimestampParser}), picks the MTA from
 * the program name and lets that MTA's line parser ({@code PostfixLineParser}, {@code EximLineParser},
 * {@code SendmailLineParser}, {@code OpenSmtpdLineParser}) say what the line means as a {@code LogEvent};
 * the {@link dev.bouncewatch.agent.parse.Correlator} then adds what earlier lines of the same queue id
 * said (sender, message-id, attempt numbers) and expands message expiry into per-recipient results.
 * {@link dev.bouncewatch.agent.parse.ResultWriter} writes results as JSON lines, CSV or a table, with
 * extra fields from later stages.
 * <p>
 * Inbound rejects (Postfix smtpd/postscreen {@code NOQUEUE: reject:}) are not delivery results; they
 * go to the {@link dev.bouncewatch.agent.parse.InboundReject} consumer given to the parser.
 * <p>
 * Data lives in resources next to this package: {@code stage-phrases.tsv} (which phrase means which
 * SMTP step, per MTA) and {@code month-names.txt} (syslog month abbreviations, English and localised).
 */
package dev.bouncewatch.agent.parse;
