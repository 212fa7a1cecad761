package dev.bouncewatch.agent.parse;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Gives year-less syslog timestamps ({@code Jan  5 12:00:01}) a year. The first line gets the reference
 * year, or the year before when that would put it in the future (a file written in January that starts
 * in December); after that the year advances when the month jumps back (December to January) and a
 * line whose month jumps far forward is a late straggler from the previous year.
 */
final class YearInference {

    /** Lines may be up to this far after the reference time (clock skew, a file still being written). */
    private static final int FUTURE_TOLERANCE_DAYS = 2;

    private final LocalDate reference;
    private final boolean yearGiven;
    private int year;
    private int lastMonth;

    private YearInference(LocalDate reference, boolean yearGiven) {
        this.reference = reference;
        this.yearGiven = yearGiven;
        this.year = reference.getYear();
    }

    /** The year is inferred from the date the log was last written (file mtime, or today for a live stream). */
    static YearInference fromReference(LocalDate reference) {
        return new YearInference(reference, false);
    }

    /** The first line is in {@code year}; later lines roll over from there. */
    static YearInference startingIn(int year) {
        return new YearInference(LocalDate.of(year, 1, 1), true);
    }

    int yearFor(int month, int day) {
        if (lastMonth == 0) {
            if (!yearGiven && isAfterTolerance(year, month, day)) {
                year--;
            }
        } else if (month < lastMonth - 6) {
            year++;
        } else if (month > lastMonth + 6) {
            return year - 1;
        }
        lastMonth = month;
        return year;
    }

    private boolean isAfterTolerance(int y, int month, int day) {
        try {
            return LocalDate.of(y, month, day).isAfter(reference.plusDays(FUTURE_TOLERANCE_DAYS));
        } catch (DateTimeException e) {
            return false; // Feb 29 in a non-leap year: the caller finds the date invalid anyway
        }
    }
}
