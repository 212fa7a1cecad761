-- When the schema changed and what changed it: one row per migration applied from this version on
-- (written by the store's Migrator in the migration's own transaction), so an operator can tell when
-- an upgrade migrated the database and which bouncewatch did it (`bouncewatch db info`).
-- A database that predates this table gets one row named 'found' first: the version it had then.
CREATE TABLE schema_history (
    id            INTEGER PRIMARY KEY,
    version       INTEGER NOT NULL,   -- the schema version this row is about
    name          TEXT    NOT NULL,   -- the migration's name (NNN-name.sql), or 'found'
    applied_ms    INTEGER NOT NULL,   -- when it was applied (or found)
    agent_version TEXT    NOT NULL,   -- the bouncewatch version that applied it
    backup        TEXT                -- the copy taken before this run of migrations; null: none
);
