package dev.bouncewatch.agent.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code bouncewatch db info} shows about a database, read without changing it.
 *
 * @param fileBytes   the database file; {@code walBytes} its write-ahead log (commits not yet in the file)
 * @param freeBytes   pages inside the file that are free (retention hands them back over time)
 * @param knownVersion the latest schema version this bouncewatch can migrate to
 * @param history     {@code schema_history}, oldest first; empty for a database that predates it
 * @param rows        row counts of the main tables, by table name
 * @param copies      the copies taken before migrations ({@code <db>.before-schema-N.bak})
 */
public record DatabaseInfo(Path file, long fileBytes, long walBytes, long freeBytes, int schemaVersion,
                           int knownVersion, List<HistoryEntry> history, Map<String, Long> rows, List<Copy> copies) {

    /** One {@code schema_history} row; {@code backup} null when no copy was taken. */
    public record HistoryEntry(int version, String name, Instant applied, String agentVersion, String backup) {
    }

    /** A pre-migration copy on disk. */
    public record Copy(Path path, long bytes, Instant modified) {
    }

    /** How the database's schema compares with this bouncewatch. */
    public enum SchemaState { CURRENT, OLDER, NEWER }

    public SchemaState schemaState() {
        return schemaVersion == knownVersion ? SchemaState.CURRENT
                : schemaVersion < knownVersion ? SchemaState.OLDER : SchemaState.NEWER;
    }
}
