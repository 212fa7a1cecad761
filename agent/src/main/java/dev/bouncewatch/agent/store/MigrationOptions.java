package dev.bouncewatch.agent.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What migrating needs besides the migrations: the version to record in {@code schema_history} and
 * how much disk is free for the copy taken before an existing database is migrated (tests replace both).
 */
record MigrationOptions(String agentVersion, FreeSpace freeSpace) {

    /** Usable bytes on the file system holding a directory. */
    @FunctionalInterface
    interface FreeSpace {
        long usableBytes(Path directory) throws IOException;
    }

    static MigrationOptions defaults() {
        String v = Store.class.getPackage().getImplementationVersion();
        // no manifest when run from classes (tests, an IDE)
        // statvfs on the directory itself: Files.getFileStore looks the mount up in /proc/self/mounts,
        // which fails under the unit's sandbox ("Mount point not found")
        return new MigrationOptions(v == null ? "dev" : v, dir -> dir.toFile().getUsableSpace());
    }
}
