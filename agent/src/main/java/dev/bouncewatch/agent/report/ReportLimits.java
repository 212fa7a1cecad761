package dev.bouncewatch.agent.report;

/**
 * Memory caps and display sizes of a report. The caps bound memory whatever the input size: beyond
 * them the least frequent keys are folded into an "other" bucket, and totals stay exact.
 *
 * @param shown                 rows shown per table
 * @param minVolume             final outcomes a domain or host needs before its bounce rate is ranked
 * @param keyCapacity           distinct domains, hosts, categories or actions tracked with their own counts
 * @param reasonCapacity        distinct normalised reasons tracked
 * @param suppressCapacity      distinct addresses kept on the suppress list
 * @param pendingCapacity       recipients waiting for a final outcome (deferred so far) tracked at once
 * @param maxReasonChars        longest reason text kept (longer texts are cut, and marked so)
 */
public record ReportLimits(
        int shown,
        int minVolume,
        int keyCapacity,
        int reasonCapacity,
        int suppressCapacity,
        int pendingCapacity,
        int maxReasonChars) {

    public static final ReportLimits DEFAULTS = new ReportLimits(20, 10, 5_000, 2_000, 100_000, 200_000, 4_000);

    public ReportLimits {
        requirePositive("shown", shown);
        requirePositive("minVolume", minVolume);
        requirePositive("keyCapacity", keyCapacity);
        requirePositive("reasonCapacity", reasonCapacity);
        requirePositive("suppressCapacity", suppressCapacity);
        requirePositive("pendingCapacity", pendingCapacity);
        requirePositive("maxReasonChars", maxReasonChars);
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("report limit " + field + " must be at least 1, was " + value);
        }
    }

    public ReportLimits withShown(int rows) {
        return new ReportLimits(rows, minVolume, keyCapacity, reasonCapacity, suppressCapacity, pendingCapacity,
                maxReasonChars);
    }

    public ReportLimits withMinVolume(int volume) {
        return new ReportLimits(shown, volume, keyCapacity, reasonCapacity, suppressCapacity, pendingCapacity,
                maxReasonChars);
    }

    public ReportLimits withCapacities(int keys, int reasons, int suppress, int pending) {
        return new ReportLimits(shown, minVolume, keys, reasons, suppress, pending, maxReasonChars);
    }
}
