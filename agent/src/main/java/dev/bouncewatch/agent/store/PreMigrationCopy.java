package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.notify.DisplayFormat;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consistent copy of an existing database taken before it is migrated, {@code <db>.before-schema-<N>.bak}
 * (N the first version the migration makes), so that an upgrade can be rolled back with the old package.
 * Only the newest such copy is kept. {@code VACUUM INTO} writes it from one read transaction, so a
 * concurrent writer cannot tear it; the copy holds only live pages, usually smaller than the file.
 */
final class PreMigrationCopy {

    private static final Logger LOG = LoggerFactory.getLogger(PreMigrationCopy.class);

    /** Free space beyond the copy's own size, for the migration itself and the agent's next writes. */
    static final double HEADROOM = 0.10;

    private static final int SQLITE_FULL = 13;

    private final Path file;
    private final MigrationOptions.FreeSpace freeSpace;

    PreMigrationCopy(Path file, MigrationOptions.FreeSpace freeSpace) {
        this.file = file;
        this.freeSpace = freeSpace;
    }

    /** Where the copy taken before migrating to {@code toVersion} goes. */
    static Path pathFor(Path file, int toVersion) {
        return file.resolveSibling(file.getFileName() + ".before-schema-" + toVersion + ".bak");
    }

    /** Matches every copy of {@code file}, whatever its version. */
    static Pattern namesOf(Path file) {
        return Pattern.compile(Pattern.quote(file.getFileName().toString()) + "\\.before-schema-\\d+\\.bak");
    }

    /**
     * Copies the database (at {@code fromVersion}) before it is migrated to {@code toVersion} and deletes
     * older copies. Answers empty, with a warning, when the free space would not hold the copy.
     */
    Optional<Path> take(Connection c, int fromVersion, int toVersion) throws StoreException {
        Path target = pathFor(file, toVersion);
        Path dir = target.toAbsolutePath().getParent();
        long needed;
        try (Statement st = c.createStatement()) {
            long pageSize = SqliteConnections.queryLong(st, "PRAGMA page_size");
            needed = (SqliteConnections.queryLong(st, "PRAGMA page_count")
                    - SqliteConnections.queryLong(st, "PRAGMA freelist_count")) * pageSize;
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot size the copy to take before migrating: " + e.getMessage(), e);
        }
        long free;
        try {
            free = freeSpace.usableBytes(dir);
        } catch (IOException | RuntimeException e) {
            // unknown is no reason to go without the copy: a disk that fills up while copying is handled below
            LOG.warn("{}: cannot tell the free space in {} ({}); copying the database anyway", file, dir, e.getMessage());
            free = Long.MAX_VALUE;
        }
        if (free < needed + (long) (needed * HEADROOM)) {
            LOG.warn("{}: NOT copying the database before migrating it from schema version {} to {}: the copy"
                    + " needs about {} plus {}% headroom and {} has only {} free; migrating without a copy, so this"
                    + " upgrade cannot be rolled back by restoring one", file, fromVersion, toVersion, DisplayFormat.bytes(needed),
                    Math.round(HEADROOM * 100), dir, DisplayFormat.bytes(free));
            return Optional.empty();
        }
        Path partial = null;
        try {
            // an empty file is a valid VACUUM INTO target; createTempFile makes it 0600, like the state it copies
            partial = Files.createTempFile(dir, target.getFileName() + ".", ".partial");
            try (PreparedStatement st = c.prepareStatement("VACUUM INTO ?")) {
                st.setString(1, partial.toString());
                st.executeUpdate();
            }
            keepPermissions(partial);
            move(partial, target);
            partial = null;
            deleteOlderCopies(target);
        } catch (SQLException e) {
            deleteQuietly(partial);
            if ((e.getErrorCode() & 0xff) == SQLITE_FULL) {
                LOG.warn("{}: NOT copying the database before migrating it from schema version {} to {}: the disk"
                        + " filled up while copying ({}); migrating without a copy", file, fromVersion, toVersion,
                        e.getMessage());
                return Optional.empty();
            }
            throw new StoreException(file + ": cannot copy the database to " + target + " before migrating it from"
                    + " schema version " + fromVersion + " to " + toVersion + ": " + e.getMessage()
                    + "; nothing was migrated", e);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new StoreException(file + ": cannot copy the database to " + target + " before migrating it from"
                    + " schema version " + fromVersion + " to " + toVersion + ": " + e.getMessage()
                    + "; nothing was migrated", e);
        }
        long size = target.toFile().length();
        LOG.info("{}: copied the database at schema version {} to {} ({}) before migrating it to version {}; to roll"
                + " back the upgrade, stop the agent, install the previous package and put that copy in place of {}",
                file, fromVersion, target, DisplayFormat.bytes(size), toVersion, file.getFileName());
        return Optional.of(target);
    }

    /** The copy gets the database's own permissions when the file system has POSIX ones. */
    private void keepPermissions(Path copy) {
        try {
            Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(file));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("{}: keeping the default permissions: {}", copy, e.getMessage());
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void deleteOlderCopies(Path keep) throws IOException {
        Pattern copies = namesOf(file);
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(keep.toAbsolutePath().getParent())) {
            for (Path p : siblings) {
                String name = p.getFileName().toString();
                if (copies.matcher(name).matches() && !name.equals(keep.getFileName().toString())) {
                    Files.deleteIfExists(p);
                    LOG.info("{}: deleted the older copy {} (only the newest is kept)", file, p);
                }
            }
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete the partial copy {}: {}", p, e.getMessage());
        }
    }
}
