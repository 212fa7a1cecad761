package dev.bouncewatch.testmta.smtp;

/**
 * The end of a DATA body (the final {@code CRLF.CRLF} was seen) or of one BDAT chunk.
 *
 * @param bareLineFeed the body held a LF not preceded by CR (always false for BDAT, which is binary)
 * @param chunk        true when this ends a BDAT chunk rather than a DATA body
 */
public record DataEnd(boolean bareLineFeed, boolean chunk) {
}
