package dev.bouncewatch.testmta.smtp;

/**
 * One command line (or AUTH continuation line) as the client sent it, without the line end.
 * Decoded as UTF-8 (RFC 6531 allows it with SMTPUTF8); malformed bytes become U+FFFD so the
 * session can refuse them instead of the decoder failing.
 */
public record CommandLine(String text) {
}
