package dev.bouncewatch.agent.parse;

/**
 * Splits {@code TIMESTAMP [<fac.pri>] HOST PROGRAM[PID]: MESSAGE} by hand. Accepts the traditional,
 * {@code maillog_file} and RFC 3339 timestamps, relayed host names with a slash ({@code eugeni/eugeni}),
 * a missing host, and a month name we cannot read (the time is then null but the line is kept).
 */
final class SyslogPrefixParser {

    private final TimestampParser timestamps;

    SyslogPrefixParser(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    /** The split line, or null when the line does not start with a syslog prefix. */
    SyslogLine parse(String line) {
        if (line.isEmpty()) {
            return null;
        }
        int i = TimestampParser.isDigit(line.charAt(0))
                ? timestamps.readRfc3339(line, 0)
                : timestamps.readTraditional(line, 0);
        if (i < 0) {
            return null;
        }
        java.time.Instant time = timestamps.time();
        int n = line.length();
        i = skipSpaces(line, i);
        if (i < n && line.charAt(i) == '<') { // syslog -v facility tag: "<mail.notice> "
            int close = line.indexOf('>', i);
            if (close < 0 || close - i > 32) {
                return null;
            }
            i = skipSpaces(line, close + 1);
        }
        int hostEnd = line.indexOf(' ', i);
        if (hostEnd < 0) {
            return null;
        }
        String host;
        int tagStart;
        if (line.charAt(hostEnd - 1) == ':' && line.lastIndexOf('[', hostEnd) > i) {
            host = null; // "Jan  5 12:00:01 postfix/smtp[42]: ..." written without a host field
            tagStart = i;
        } else {
            host = line.substring(i, hostEnd);
            tagStart = hostEnd + 1;
        }
        int j = tagStart;
        while (j < n) {
            char c = line.charAt(j);
            if (c == '[' || c == ':' || c == ' ') {
                break;
            }
            j++;
        }
        if (j == tagStart || j >= n) {
            return null;
        }
        String program = line.substring(tagStart, j);
        if (line.charAt(j) == '[') {
            int close = line.indexOf(']', j);
            if (close < 0 || close - j > 24) {
                return null;
            }
            j = close + 1;
        }
        if (j >= n || line.charAt(j) != ':') {
            return null;
        }
        j++;
        if (j < n && line.charAt(j) == ' ') {
            j++;
        }
        return new SyslogLine(time, host, program, line.substring(j));
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
