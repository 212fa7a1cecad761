package dev.bouncewatch.agent.parse;

/** Reads the message part of one MTA's log lines. Implementations keep no state between lines. */
interface MtaLineParser {

    /** What the line says; never null, never throws on odd input. */
    LogEvent parse(SyslogLine line);
}
