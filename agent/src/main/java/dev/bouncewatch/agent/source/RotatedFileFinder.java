package dev.bouncewatch.agent.source;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where a log file went after rotation: the sibling in the same directory whose content starts
 * like the file a stored position belongs to. Names as logrotate and Postfix make them:
 * {@code mail.log.1}, {@code mail.log.2.gz}, {@code mail.log-20261129}, {@code mail.log-2026112912.gz},
 * {@code maillog.20261129-101500} ({@code postfix logrotate}), {@code mainlog.01} (exicyclog).
 * Numbered siblings get older as the number grows; dated ones get newer as the date grows.
 */
final class RotatedFileFinder {

    private static final Logger log = LoggerFactory.getLogger(RotatedFileFinder.class);

    private static final Pattern SUFFIX =
            Pattern.compile("(?:\\.(\\d{1,4})|[.-](\\d{4}-?\\d{2}-?\\d{2}(?:[-_T]?\\d{2,6})?))(\\.gz)?");
    private static final int DATE_DIGITS = 14;
    /** The best score: the sibling is the file itself, renamed. */
    private static final int SAME_INODE = 2;

    /** A rotated file; {@code age} sorts oldest first within one naming style. */
    record Sibling(Path path, boolean compressed, boolean dated, long age) {

        /** The name without {@code .gz}: a file and its compressed copy share it. */
        String rotationName() {
            String name = path.getFileName().toString();
            return compressed ? name.substring(0, name.length() - ".gz".length()) : name;
        }
    }

    /**
     * The sibling that holds the stored file, and the siblings rotated after it (oldest first), which
     * must be read in full before the live file.
     *
     * @param renamed the sibling is the very file (same inode, renamed), not a copy of its first bytes
     */
    record Match(Sibling sibling, List<Sibling> newer, boolean renamed) {
    }

    private final Path livePath;

    RotatedFileFinder(Path livePath) {
        this.livePath = livePath.toAbsolutePath();
    }

    /** Every rotated sibling of the live file, oldest first per naming style. */
    List<Sibling> siblings() throws IOException {
        Path dir = livePath.getParent();
        String base = livePath.getFileName().toString();
        List<Sibling> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                entry -> entry.getFileName().toString().startsWith(base))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.length() == base.length() || !Files.isRegularFile(entry)) {
                    continue;
                }
                Matcher m = SUFFIX.matcher(name.substring(base.length()));
                if (m.matches()) {
                    boolean compressed = m.group(3) != null;
                    found.add(m.group(1) != null
                            ? new Sibling(entry, compressed, false, -Long.parseLong(m.group(1)))
                            : new Sibling(entry, compressed, true, dateAge(m.group(2))));
                }
            }
        }
        found.sort(Comparator.comparing(Sibling::dated).thenComparingLong(Sibling::age)
                .thenComparing(Sibling::compressed));
        return found;
    }

    /**
     * The sibling whose head (and, when both are known, file key) fits {@code identity}. When several
     * fit, the one with the same inode wins (renamed, not copied), then an uncompressed one (a
     * {@code .gz} may still be being written while its source exists), then the newest.
     */
    Optional<Match> find(FileIdentity identity) throws IOException {
        List<Sibling> all = siblings();
        Sibling best = null;
        int bestScore = -1;
        for (Sibling sibling : all) {
            int score = score(sibling, identity);
            if (score >= bestScore && score >= 0) {
                best = sibling;
                bestScore = score;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        Sibling matched = best;
        Map<String, Sibling> newer = new LinkedHashMap<>();
        for (Sibling sibling : all) {
            if (sibling.dated() == matched.dated() && sibling.age() > matched.age()
                    && !sibling.rotationName().equals(matched.rotationName())) {
                newer.merge(sibling.rotationName(), sibling, (a, b) -> a.compressed() ? b : a);
            }
        }
        return Optional.of(new Match(matched, List.copyOf(newer.values()), bestScore == SAME_INODE));
    }

    /**
     * Opens a sibling to be read from {@code offset}; empty when it ends before that offset (the bytes
     * there were read from the live file before it was truncated).
     */
    static Optional<LogSegment> open(Sibling sibling, long offset) throws IOException {
        if (sibling.compressed()) {
            try {
                return Optional.of(GzipSegment.open(sibling.path(), offset));
            } catch (EOFException e) {
                return Optional.empty();
            }
        }
        PlainSegment segment = PlainSegment.open(sibling.path(), offset);
        if (segment.readableEnd() < offset) {
            segment.close();
            return Optional.empty();
        }
        return Optional.of(segment);
    }

    /** -1 when the sibling is not the file; otherwise higher is a better match. */
    private static int score(Sibling sibling, FileIdentity identity) {
        try {
            byte[] head = new byte[FileIdentity.HEAD_BYTES];
            Object key = Files.readAttributes(sibling.path(), BasicFileAttributes.class).fileKey();
            int length = sibling.compressed() ? GzipSegment.readHead(sibling.path(), head) : readHead(sibling.path(), head);
            if (!identity.headMatches(head, length)) {
                return -1;
            }
            if (!sibling.compressed() && identity.sameKnownKey(key)) {
                return SAME_INODE;
            }
            if (identity.headLength() == 0) {
                return -1; // an empty head fits every file: only the same inode counts
            }
            return sibling.compressed() ? 0 : 1;
        } catch (IOException e) {
            log.debug("cannot read rotated file {}: {}", sibling.path(), e.toString());
            return -1;
        }
    }

    private static int readHead(Path path, byte[] head) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(head);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // fill the head
            }
            return buffer.position();
        }
    }

    /** {@code 20261129}, {@code 2026-11-29}, {@code 20261129-101500} as one comparable number. */
    private static long dateAge(String date) {
        StringBuilder digits = new StringBuilder(date.replaceAll("\\D", ""));
        while (digits.length() < DATE_DIGITS) {
            digits.append('0');
        }
        return Long.parseLong(digits.substring(0, DATE_DIGITS));
    }
}
