package dev.bouncewatch.agent.source;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a stored position into the files to read, in order:
 * <ul>
 * <li>no position (first start): the live file from its start;</li>
 * <li>the live file is still the stored one (same key and first bytes, not shorter): it, from the
 *     stored offset;</li>
 * <li>it was rotated while the agent was stopped: the sibling holding it (found by its first bytes,
 *     possibly compressed) from the stored offset, the siblings rotated after it in full, then the
 *     live file from its start;</li>
 * <li>no file matches: the live file from its start, with a warning that lines may be missing;</li>
 * <li>the position cannot be read at all: the live file from its start when it is small, else from its
 *     end (re-reading a large file would count old deliveries again), with a warning.</li>
 * </ul>
 * The live file is opened right away when it exists, so a rotation while the siblings are being
 * read cannot make it slip by.
 */
final class ResumePlanner {

    private static final Logger log = LoggerFactory.getLogger(ResumePlanner.class);

    private final Path path;
    private final RotatedFileFinder finder;
    private final FileSourceOptions options;

    ResumePlanner(Path path, RotatedFileFinder finder, FileSourceOptions options) {
        this.path = path;
        this.finder = finder;
        this.options = options;
    }

    Deque<PlannedSegment> plan(String storedPosition) throws IOException {
        Deque<PlannedSegment> plan = new ArrayDeque<>();
        if (storedPosition == null) {
            plan.add(liveFromStart());
            return plan;
        }
        FilePosition position;
        try {
            position = FilePosition.parse(storedPosition);
        } catch (IllegalArgumentException e) {
            plan.add(afterUnreadablePosition(storedPosition, e.getMessage()));
            return plan;
        }
        Optional<PlainSegment> same = openIfSame(position);
        if (same.isPresent()) {
            plan.add(PlannedSegment.live(same.get()));
            return plan;
        }
        Optional<RotatedFileFinder.Match> match = finder.find(position.identity());
        if (match.isEmpty()) {
            log.warn("{}: no file here matches the stored position ({}); reading {} from its start, "
                    + "lines written in between may be missing", path, position, path);
            plan.add(liveFromStart());
            return plan;
        }
        RotatedFileFinder.Sibling rotated = match.get().sibling();
        log.info("{} was rotated while stopped: reading {} from byte {} first", path, rotated.path(), position.offset());
        try {
            RotatedFileFinder.open(rotated, position.offset()).ifPresent(s -> plan.add(PlannedSegment.rotated(s)));
            for (RotatedFileFinder.Sibling newer : match.get().newer()) {
                log.info("{}: then {} (rotated later)", path, newer.path());
                RotatedFileFinder.open(newer, 0).ifPresent(s -> plan.add(PlannedSegment.rotated(s)));
            }
            plan.add(liveFromStart());
        } catch (IOException | RuntimeException e) {
            plan.forEach(p -> closeQuietly(p.segment()));
            throw e;
        }
        return plan;
    }

    private Optional<PlainSegment> openIfSame(FilePosition position) throws IOException {
        PlainSegment segment;
        try {
            segment = PlainSegment.open(path, position.offset());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (segment.holds(position.identity()) && segment.readableEnd() >= position.offset()) {
            return Optional.of(segment);
        }
        segment.close();
        return Optional.empty();
    }

    private PlannedSegment liveFromStart() throws IOException {
        try {
            return PlannedSegment.live(PlainSegment.open(path, 0));
        } catch (NoSuchFileException e) {
            return PlannedSegment.LIVE_WHEN_PRESENT;
        }
    }

    private PlannedSegment afterUnreadablePosition(String stored, String problem) throws IOException {
        PlainSegment whole;
        try {
            whole = PlainSegment.open(path, 0);
        } catch (NoSuchFileException e) {
            log.warn("{}: stored position '{}' is unreadable ({}); the file is missing, it will be read from its start "
                    + "once it appears", path, stored, problem);
            return PlannedSegment.LIVE_WHEN_PRESENT;
        }
        long size = whole.readableEnd();
        if (size <= options.smallFileBytes()) {
            log.warn("{}: stored position '{}' is unreadable ({}); reading the file from its start ({} bytes)",
                    path, stored, problem, size);
            return PlannedSegment.live(whole);
        }
        whole.close();
        log.warn("{}: stored position '{}' is unreadable ({}); the file is large, so only lines written from now on "
                + "are read ({} bytes skipped)", path, stored, problem, size);
        return PlannedSegment.live(PlainSegment.open(path, size));
    }

    private static void closeQuietly(LogSegment segment) {
        if (segment != null) {
            segment.close();
        }
    }
}
