-- Schema version 1. Each file NNN-*.sql is one forward migration; the store applies those above
-- PRAGMA user_version in order, each in its own transaction, and sets user_version to NNN.
-- Times are milliseconds since the epoch (UTC).

CREATE TABLE results (
    id               INTEGER PRIMARY KEY,
    source           TEXT    NOT NULL,   -- Source.id()
    time_ms          INTEGER NOT NULL,   -- when the MTA logged it
    ingested_ms      INTEGER NOT NULL,   -- when the agent committed it
    host             TEXT,
    mta              TEXT    NOT NULL,   -- Mta.wireName()
    queue_id         TEXT,
    message_id       TEXT,
    sender           TEXT,
    recipient        TEXT,
    recipient_domain TEXT    NOT NULL,   -- lower case, '' when none
    orig_recipient   TEXT,
    relay            TEXT,
    relay_ip         TEXT,
    status           TEXT    NOT NULL,   -- DeliveryStatus wire name
    mta_status       TEXT,
    dsn              TEXT,
    reply_code       INTEGER,
    diagnostic       TEXT,
    stage            TEXT    NOT NULL,
    delay_seconds    REAL,
    attempts         INTEGER NOT NULL,
    severity         TEXT    NOT NULL,   -- classification
    category         TEXT    NOT NULL,
    hard_bounce      INTEGER NOT NULL,
    action           TEXT    NOT NULL,
    rule_id          TEXT    NOT NULL,
    signals          TEXT    NOT NULL,   -- space separated
    advice           TEXT    NOT NULL
);
CREATE INDEX results_time ON results (time_ms);
CREATE INDEX results_recipient ON results (recipient, time_ms);
CREATE INDEX results_status_time ON results (status, time_ms);
CREATE INDEX results_category_time ON results (category, time_ms);

-- One row per source: where to resume. Written in the same transaction as the results it covers.
CREATE TABLE checkpoints (
    source     TEXT PRIMARY KEY,
    position   TEXT    NOT NULL,
    updated_ms INTEGER NOT NULL
);

-- The clean list: addresses not to send to again.
CREATE TABLE suppressions (
    address     TEXT PRIMARY KEY,        -- lower case
    origin      TEXT    NOT NULL,        -- 'bounce' or 'manual'
    reason      TEXT    NOT NULL,        -- human readable why
    category    TEXT,                    -- classification category of the deciding bounce
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL,
    result_id   INTEGER,                 -- the deciding result, when origin = 'bounce'
    dsn         TEXT,
    reply_code  INTEGER,
    diagnostic  TEXT,
    failures    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX suppressions_created ON suppressions (created_ms);

-- Notifications waiting to be sent, sent, or given up (dead). Written in the transaction of the
-- result or alert that caused them; one row per destination and event.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    destination     TEXT    NOT NULL,
    event_id        TEXT    NOT NULL,    -- stable across retries (webhook-id)
    event_type      TEXT    NOT NULL,
    group_key       TEXT,                -- newer pending state for the same group replaces older
    payload         TEXT    NOT NULL,
    created_ms      INTEGER NOT NULL,
    next_attempt_ms INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    state           TEXT    NOT NULL,    -- 'pending', 'delivered', 'dead'
    last_error      TEXT,
    finished_ms     INTEGER,
    UNIQUE (destination, event_id)
);
CREATE INDEX outbox_due ON outbox (destination, state, next_attempt_ms, id);
