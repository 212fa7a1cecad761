package dev.bouncewatch.agent.parse;

/** The delay notations of the four MTAs, in seconds. */
final class Durations {

    private Durations() {
    }

    /** Postfix {@code delay=0.23} / {@code delay=411573}. */
    static Double decimalSeconds(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) && d >= 0 ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Sendmail {@code delay=00:56:51} / {@code delay=1+17:52:54} (days+hh:mm:ss). */
    static Double sendmailClock(String s) {
        if (s == null) {
            return null;
        }
        long days = 0;
        int plus = s.indexOf('+');
        String clock = s;
        if (plus > 0) {
            days = parseLong(s.substring(0, plus));
            clock = s.substring(plus + 1);
        }
        String[] hms = clock.split(":");
        if (days < 0 || hms.length != 3) {
            return null;
        }
        long h = parseLong(hms[0]);
        long m = parseLong(hms[1]);
        long sec = parseLong(hms[2]);
        if (h < 0 || m < 0 || sec < 0) {
            return null;
        }
        return (double) (days * 86_400 + h * 3600 + m * 60 + sec);
    }

    /** Exim {@code QT=1d2h3m4s} / {@code 0.123s} and OpenSMTPD {@code delay=2s}, {@code 1m2s}. */
    static Double unitSeconds(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        double total = 0;
        int i = 0;
        int n = s.length();
        boolean any = false;
        while (i < n) {
            int start = i;
            while (i < n && (TimestampParser.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (i == start || i >= n) {
                return null;
            }
            double value;
            try {
                value = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                return null;
            }
            switch (s.charAt(i)) {
                case 'w': total += value * 604_800; break;
                case 'd': total += value * 86_400; break;
                case 'h': total += value * 3600; break;
                case 'm': total += value * 60; break;
                case 's': total += value; break;
                default: return null;
            }
            any = true;
            i++;
        }
        return any ? total : null;
    }

    private static long parseLong(String s) {
        if (s.isEmpty() || s.length() > 12) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!TimestampParser.isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
