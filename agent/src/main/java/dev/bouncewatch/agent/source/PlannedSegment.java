package dev.bouncewatch.agent.source;

/**
 * A file a {@link FileSource} will read after the current one.
 *
 * @param segment the opened file, or null for "the live path, from its start, once it exists"
 * @param live    whether it is the file at the followed path (watched for rotation), rather than a
 *                rotated sibling that is read to its end
 */
record PlannedSegment(LogSegment segment, boolean live) {

    /** The followed path is missing: open it from its start when it appears. */
    static final PlannedSegment LIVE_WHEN_PRESENT = new PlannedSegment(null, true);

    static PlannedSegment live(LogSegment segment) {
        return new PlannedSegment(segment, true);
    }

    static PlannedSegment rotated(LogSegment segment) {
        return new PlannedSegment(segment, false);
    }
}
