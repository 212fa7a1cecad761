package dev.bouncewatch.agent.source;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.input.Tailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Tailer.Tailable} that decides when Tailer moves from one file to the next. Tailer itself
 * only notices a rotation when the path's size drops below what it has read, and then reopens the
 * path by name; this class answers {@link #size()} so that Tailer does the right thing instead:
 * <ul>
 * <li>it keeps reading the file it has open (not the path) until that file is finished;</li>
 * <li>a new file at the path (a different inode: logrotate {@code create}, however large the new file
 *     already is) is prepared as the next file, and the old one is read until it has stopped growing
 *     for the quiet period; when more rotations happened since the last look, the files rotated
 *     after the old one (found among its siblings, oldest first) are read before the new file;</li>
 * <li>the same inode with fewer bytes or different first bytes (copytruncate, even when refilled
 *     beyond the old offset) abandons the old content; the lines it still had unread are read from
 *     logrotate's copy, found by its first bytes, then the file from its start;</li>
 * <li>a missing path (between rename and create, {@code postfix logrotate}, {@code nocreate}) is
 *     waited for while the open file is still read; nothing here throws, so Tailer never dies of it;</li>
 * <li>once the current file is finished and the next is open, {@code size()} returns -1, below any
 *     position Tailer can hold, which takes Tailer's rotation path: it asks {@link #getRandomAccess}
 *     for the next file (already open, so that cannot fail), drains the old bridge to its end and
 *     closes it.</li>
 * </ul>
 * Otherwise {@code size()} is the open file's real size, never below Tailer's own position (which could
 * make Tailer reopen on its own), and {@code ignoreTouch} keeps a touched file from being re-read.
 */
final class FollowedFile implements Tailer.Tailable {

    private static final Logger log = LoggerFactory.getLogger(FollowedFile.class);

    private final Path path;
    private final RotatedFileFinder finder;
    private final Deque<PlannedSegment> upcoming;
    private final BatchAssembler batches;
    private final FileSourceStats stats;
    private final FileSourceOptions options;
    private final long quietNanos;

    private LineBridge current;
    private boolean currentLive;
    private long lastEnd = -1;
    private long quietSince;
    private String lastProblem;

    FollowedFile(Path path, RotatedFileFinder finder, Deque<PlannedSegment> plan, BatchAssembler batches,
                 FileSourceStats stats, FileSourceOptions options) {
        this.path = path;
        this.finder = finder;
        this.upcoming = plan;
        this.batches = batches;
        this.stats = stats;
        this.options = options;
        this.quietNanos = options.rotationQuietPeriod().toNanos();
    }

    /**
     * Tailer's first open, and its reopen after {@link #size()} returned -1: the next planned file. At
     * the first open the live path may be missing; the {@link FileNotFoundException} makes Tailer wait
     * a poll interval and ask again.
     */
    @Override
    public Tailer.RandomAccessResourceBridge getRandomAccess(String mode) throws FileNotFoundException {
        PlannedSegment next = upcoming.peekFirst();
        if (next == null) {
            throw new FileNotFoundException("nothing planned after " + current);
        }
        LogSegment segment = next.segment();
        if (segment == null) {
            segment = openLive().orElseThrow(() -> new FileNotFoundException(path + " does not exist (yet)"));
        }
        upcoming.removeFirst();
        current = new LineBridge(segment, batches, stats, options.maxLineBytes());
        currentLive = next.live();
        lastEnd = -1;
        quietSince = next.live() ? System.nanoTime() : lastWrite(segment);
        lastProblem = null;
        log.info("{}: reading {} from byte {}", path, segment, segment.start());
        return current;
    }

    @Override
    public long size() {
        LineBridge bridge = current;
        try {
            if (currentLive && upcoming.isEmpty()) {
                watchPath(bridge);
            } else {
                watchNextLive();
            }
            LogSegment segment = bridge.segment();
            long end = segment.readableEnd();
            long now = System.nanoTime();
            if (end != lastEnd) {
                lastEnd = end;
                quietSince = now;
            }
            updateLag(bridge, end);
            boolean settled = bridge.abandoned() || !segment.canGrow() || now - quietSince >= quietNanos;
            if (!upcoming.isEmpty() && bridge.atEnd() && settled && nextIsOpen()) {
                LogSegment next = upcoming.peekFirst().segment();
                bridge.finish(() -> batches.moved(next, next.start()));
                return -1;
            }
            return Math.max(end, bridge.tailerPosition());
        } catch (ClosedByInterruptException e) {
            return bridge.tailerPosition(); // the source is being closed
        } catch (IOException | RuntimeException e) {
            problem("cannot check " + path + ": " + e, e);
            return bridge.tailerPosition();
        }
    }

    /** Only used by Tailer's touch rule, which {@code ignoreTouch} switches off; never throws. */
    @Override
    public boolean isNewer(FileTime time) {
        return lastModifiedFileTime().compareTo(time) > 0;
    }

    @Override
    public FileTime lastModifiedFileTime() {
        try {
            return current == null ? FileTime.fromMillis(0) : Files.getLastModifiedTime(current.segment().path());
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Closes the files opened ahead; Tailer closes the current one. */
    void closeAll() {
        if (current != null) {
            current.segment().close();
        }
        for (PlannedSegment planned : upcoming) {
            if (planned.segment() != null) {
                planned.segment().close();
            }
        }
        upcoming.clear();
    }

    /**
     * When a rotated file was last written or renamed (its ctime where the file system has one), on the
     * {@link System#nanoTime()} scale: a file rotated long ago need not be watched for the quiet period.
     */
    private static long lastWrite(LogSegment segment) {
        long now = System.nanoTime();
        try {
            FileTime changed = Files.getLastModifiedTime(segment.path());
            try {
                FileTime ctime = (FileTime) Files.getAttribute(segment.path(), "unix:ctime");
                changed = ctime.compareTo(changed) > 0 ? ctime : changed;
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // no ctime here: the modification time has to do
            }
            long ago = System.currentTimeMillis() - changed.toMillis();
            return now - TimeUnit.MILLISECONDS.toNanos(Math.max(0, ago));
        } catch (IOException e) {
            return now;
        }
    }

    /** Looks at the path while the current file is the live one and nothing is planned after it. */
    private void watchPath(LineBridge bridge) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            stats.pathMissing(true);
            return;
        }
        stats.pathMissing(false);
        PlainSegment segment = (PlainSegment) bridge.segment();
        Object key = attributes.fileKey();
        if (key != null && segment.fileKey() != null && !key.equals(segment.fileKey())) {
            Optional<PlainSegment> next = openLive();
            if (next.isPresent()) {
                // more than one rotation since the last look (a busy agent, or one catching up): the
                // files rotated after this one, oldest first, come before the new live file
                rotatedAfter(segment).forEach(upcoming::add);
                upcoming.add(PlannedSegment.live(next.get()));
                quietSince = System.nanoTime();
                log.info("{} is a new file ({}); finishing {} first", path, next.get().identity(), segment.identity());
            }
            return;
        }
        if (!segment.rewritten(bridge.readOffset())) {
            return;
        }
        long offset = bridge.servedThrough();
        log.warn("{} was truncated or rewritten after byte {} (copytruncate?); looking for the copy of the rest",
                path, offset);
        bridge.abandon();
        openCopy(segment, offset).ifPresent(copy -> upcoming.add(PlannedSegment.rotated(copy)));
        upcoming.add(openLive().map(PlannedSegment::live).orElse(PlannedSegment.LIVE_WHEN_PRESENT));
    }

    /**
     * The siblings rotated after {@code segment}, which itself now sits among them under a rotated
     * name (same inode): each opened from its start. Empty when it cannot be found by its inode
     * (then only the live file follows, as before).
     */
    private List<PlannedSegment> rotatedAfter(PlainSegment segment) throws IOException {
        Optional<RotatedFileFinder.Match> match = finder.find(segment.identity());
        if (match.isEmpty() || !match.get().renamed()) {
            return List.of();
        }
        List<PlannedSegment> plan = new ArrayList<>();
        for (RotatedFileFinder.Sibling newer : match.get().newer()) {
            log.info("{}: {} was rotated after {}; reading it before the new file", path, newer.path(),
                    match.get().sibling().path());
            RotatedFileFinder.open(newer, 0).ifPresent(s -> plan.add(PlannedSegment.rotated(s)));
        }
        return plan;
    }

    /**
     * The next live file is open but not read yet (the current one is being finished). If it is
     * copytruncated meanwhile, what it held is in the copy: read that first.
     */
    private void watchNextLive() throws IOException {
        PlannedSegment last = upcoming.peekLast();
        if (last == null || !last.live() || !(last.segment() instanceof PlainSegment next)
                || !next.rewritten(next.start())) {
            return;
        }
        log.warn("{} was truncated or rewritten before it was read (copytruncate?); looking for the copy", path);
        upcoming.removeLast();
        next.close();
        openCopy(next, next.start()).ifPresent(copy -> upcoming.add(PlannedSegment.rotated(copy)));
        upcoming.add(openLive().map(PlannedSegment::live).orElse(PlannedSegment.LIVE_WHEN_PRESENT));
    }

    /** The unread rest of a truncated file, from logrotate's copy. */
    private Optional<LogSegment> openCopy(PlainSegment truncated, long offset) throws IOException {
        FileIdentity identity = truncated.identity();
        Optional<RotatedFileFinder.Match> match = identity.headLength() == 0 ? Optional.empty() : finder.find(identity);
        if (match.isEmpty()) {
            if (truncated.largestEnd() > offset) {
                stats.error(path + " was truncated with " + (truncated.largestEnd() - offset)
                        + " bytes unread, and no copy of it was found");
                log.warn("{}: no copy of the truncated file found; the lines after byte {} are missing", path, offset);
            } else {
                log.info("{}: no copy of the truncated file found; lines written after byte {} since the last look "
                        + "would be missing", path, offset);
            }
            return Optional.empty();
        }
        Optional<LogSegment> copy = RotatedFileFinder.open(match.get().sibling(), offset);
        copy.ifPresentOrElse(c -> log.info("{}: reading the copy {} from byte {}", path, c.path(), offset),
                () -> log.info("{}: its copy {} ends before byte {}; nothing unread in it", path,
                        match.get().sibling().path(), offset));
        return copy;
    }

    /** The next planned file is open (opening the live path now if it has appeared). */
    private boolean nextIsOpen() throws IOException {
        if (upcoming.peekFirst().segment() != null) {
            return true;
        }
        Optional<PlainSegment> live = openLive();
        if (live.isEmpty()) {
            return false;
        }
        upcoming.removeFirst();
        upcoming.addFirst(PlannedSegment.live(live.get()));
        return true;
    }

    private Optional<PlainSegment> openLive() {
        try {
            PlainSegment segment = PlainSegment.open(path, 0);
            stats.pathMissing(false);
            return Optional.of(segment);
        } catch (NoSuchFileException e) {
            stats.pathMissing(true);
            return Optional.empty();
        } catch (ClosedByInterruptException e) {
            return Optional.empty(); // the source is being closed
        } catch (IOException e) {
            problem("cannot open " + path + ": " + e, e);
            return Optional.empty();
        }
    }

    private void updateLag(LineBridge bridge, long end) throws IOException {
        long lag = end == Long.MAX_VALUE ? 0 : end - bridge.servedThrough();
        for (PlannedSegment planned : upcoming) {
            if (planned.segment() instanceof PlainSegment plain) {
                lag += plain.readableEnd() - plain.start();
            }
        }
        stats.lag(lag);
    }

    /** Counts and logs a problem once, not at every poll while it lasts. */
    private void problem(String message, Exception e) {
        if (!Objects.equals(message, lastProblem)) {
            lastProblem = message;
            stats.error(message);
            log.warn(message, e);
        }
    }
}
