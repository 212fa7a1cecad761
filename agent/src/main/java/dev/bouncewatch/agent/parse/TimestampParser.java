package dev.bouncewatch.agent.parse;

import java.time.Instant;

/**
 * Reads the timestamp shapes of mail logs by hand (no regex, no allocation besides the Instant):
 * <ul>
 *   <li>traditional syslog and Postfix {@code maillog_file}: {@code Jan  5 12:00:01}, {@code Jan 05 ...},
 *       {@code Mar 7 ...}; no year (see {@link YearInference}) and no zone (the configured one);</li>
 *   <li>RFC 3339 (rsyslog's default on Debian 12): {@code 2024-01-05T12:00:01.123456+01:00}, {@code ...Z};</li>
 *   <li>Exim's own: {@code 2020-06-19 04:51:49}, optional {@code .mmm} and {@code  +0200} / {@code  -06:00}.</li>
 * </ul>
 * Each read method returns the index after the timestamp or -1 when the text is not that shape; the
 * instant is then in {@link #time()} (null when the shape matched but the value is unusable, e.g. an
 * unknown month name: the line is still parsed).
 */
final class TimestampParser {

    private final LocalTimeConverter localTime;
    private YearInference years;
    private Instant time;

    TimestampParser(LocalTimeConverter localTime, YearInference years) {
        this.localTime = localTime;
        this.years = years;
    }

    void setYearInference(YearInference years) {
        this.years = years;
    }

    Instant time() {
        return time;
    }

    /** {@code Mmm dd hh:mm:ss} with a space-padded, zero-padded or unpadded day; month in any known language. */
    int readTraditional(String s, int pos) {
        int n = s.length();
        int monthEnd = pos;
        while (monthEnd < n && monthEnd - pos < 7 && isMonthChar(s.charAt(monthEnd))) {
            monthEnd++;
        }
        if (monthEnd - pos < 3 || monthEnd >= n || s.charAt(monthEnd) != ' ') {
            return -1;
        }
        int i = monthEnd + 1;
        if (i < n && s.charAt(i) == ' ') {
            i++;
        }
        int day = 0;
        int dayStart = i;
        while (i < n && i - dayStart < 2 && isDigit(s.charAt(i))) {
            day = day * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (i == dayStart || i >= n || s.charAt(i) != ' ') {
            return -1;
        }
        i++;
        if (!isClock(s, i)) {
            return -1;
        }
        int hour = twoDigits(s, i);
        int minute = twoDigits(s, i + 3);
        int second = twoDigits(s, i + 6);
        int month = MonthNames.month(s, pos, monthEnd);
        if (month == 0 || day < 1 || day > 31) {
            time = null;
        } else {
            int year = years.yearFor(month, day);
            time = localTime.toInstant(year, month, day, hour, minute, second, 0);
        }
        return i + 8;
    }

    /** {@code YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm|+hhmm)}; without a zone the configured one applies. */
    int readRfc3339(String s, int pos) {
        if (!isIsoDate(s, pos) || s.charAt(pos + 10) != 'T' || !isClock(s, pos + 11)) {
            return -1;
        }
        return readRestOfIso(s, pos, false);
    }

    /** Exim's {@code YYYY-MM-DD hh:mm:ss[.mmm][ +hhmm]}. */
    int readExim(String s, int pos) {
        if (!isIsoDate(s, pos) || s.charAt(pos + 10) != ' ' || !isClock(s, pos + 11)) {
            return -1;
        }
        return readRestOfIso(s, pos, true);
    }

    /** True when {@code s} starts at {@code pos} with {@code YYYY-MM-DD} followed by one more character. */
    static boolean isIsoDate(String s, int pos) {
        return s.length() > pos + 19 && s.charAt(pos + 4) == '-' && s.charAt(pos + 7) == '-'
                && isDigit(s.charAt(pos)) && isDigit(s.charAt(pos + 1)) && isDigit(s.charAt(pos + 2))
                && isDigit(s.charAt(pos + 3)) && isDigit(s.charAt(pos + 5)) && isDigit(s.charAt(pos + 6))
                && isDigit(s.charAt(pos + 8)) && isDigit(s.charAt(pos + 9));
    }

    private int readRestOfIso(String s, int pos, boolean spaceBeforeZone) {
        int n = s.length();
        int year = twoDigits(s, pos) * 100 + twoDigits(s, pos + 2);
        int month = twoDigits(s, pos + 5);
        int day = twoDigits(s, pos + 8);
        int hour = twoDigits(s, pos + 11);
        int minute = twoDigits(s, pos + 14);
        int second = twoDigits(s, pos + 17);
        int i = pos + 19;
        int nanos = 0;
        if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
            i++;
            int digits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                if (digits < 9) {
                    nanos = nanos * 10 + (s.charAt(i) - '0');
                    digits++;
                }
                i++;
            }
            for (; digits < 9; digits++) {
                nanos *= 10;
            }
        }
        int zoneStart = spaceBeforeZone && i + 1 < n && s.charAt(i) == ' ' ? i + 1 : i;
        int offset = Integer.MIN_VALUE;
        if (zoneStart < n) {
            char c = s.charAt(zoneStart);
            if (c == 'Z' && !spaceBeforeZone) {
                offset = 0;
                i = zoneStart + 1;
            } else if ((c == '+' || c == '-') && zoneStart + 5 <= n && isDigit(s.charAt(zoneStart + 1))
                    && isDigit(s.charAt(zoneStart + 2))) {
                int hh = twoDigits(s, zoneStart + 1);
                int mmAt = s.charAt(zoneStart + 3) == ':' ? zoneStart + 4 : zoneStart + 3;
                if (mmAt + 2 <= n && isDigit(s.charAt(mmAt)) && isDigit(s.charAt(mmAt + 1))
                        && (mmAt + 2 == n || !isDigit(s.charAt(mmAt + 2)))) {
                    offset = (c == '-' ? -1 : 1) * (hh * 3600 + twoDigits(s, mmAt) * 60);
                    i = mmAt + 2;
                }
            }
        }
        time = offset == Integer.MIN_VALUE
                ? localTime.toInstant(year, month, day, hour, minute, second, nanos)
                : LocalTimeConverter.withOffset(year, month, day, hour, minute, second, nanos, offset);
        return i;
    }

    private static boolean isClock(String s, int i) {
        return i + 8 <= s.length() && s.charAt(i + 2) == ':' && s.charAt(i + 5) == ':'
                && isDigit(s.charAt(i)) && isDigit(s.charAt(i + 1)) && isDigit(s.charAt(i + 3))
                && isDigit(s.charAt(i + 4)) && isDigit(s.charAt(i + 6)) && isDigit(s.charAt(i + 7));
    }

    private static boolean isMonthChar(char c) {
        return Character.isLetter(c) || c == '.';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int twoDigits(String s, int i) {
        return (s.charAt(i) - '0') * 10 + (s.charAt(i + 1) - '0');
    }
}
