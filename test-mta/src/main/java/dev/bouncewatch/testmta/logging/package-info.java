/**
 * Log output for bouncewatch and test-mta, chosen at start-up: {@code text} for a terminal,
 * {@code journal} under systemd (no timestamp of our own, a {@code <N>} syslog priority per line),
 * {@code json} (one object per line). logback.xml names {@link dev.bouncewatch.testmta.logging.LogEncoder};
 * the rest are its parts. Every format keeps one record's text from looking like another record:
 * control characters in messages are escaped.
 */
package dev.bouncewatch.testmta.logging;
