package dev.bouncewatch.agent.parse;

/** Why a line gave nothing and was not understood either; counted, never fatal. */
public enum SkipReason {
    /** No syslog prefix and no known bare MTA format. */
    GARBAGE,
    /** A program that is not one of the four MTAs (or not the one forced with --mta). */
    OTHER_PROGRAM,
    /** An MTA line of a shape the parser does not know. */
    UNRECOGNISED,
    /** A delivery line cut before its status (wrapped or truncated by the logger). */
    TRUNCATED,
    /** Longer than the parser's line limit. */
    TOO_LONG
}
