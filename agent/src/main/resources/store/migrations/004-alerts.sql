-- Alert state, kept like Alertmanager's notification log but on disk: a restart neither repeats
-- every alert nor forgets to say that one resolved.

-- One row per alert group (rule and scope) while it is active or a message about it is owed.
CREATE TABLE alert_groups (
    group_key          TEXT PRIMARY KEY,     -- rule/scope, e.g. deferral_spike/provider=microsoft
    rule               TEXT    NOT NULL,
    scope              TEXT    NOT NULL,     -- key=value, or 'all'
    state              TEXT    NOT NULL,     -- 'pending' (active, nobody told yet), 'firing', 'resolved'
    severity           TEXT    NOT NULL,     -- 'warning' or 'critical'
    active_since_ms    INTEGER NOT NULL,     -- the condition holds since (start of this episode)
    resolved_ms        INTEGER,              -- when it stopped holding
    updated_ms         INTEGER NOT NULL,     -- the last evaluation that looked at it
    last_sent_ms       INTEGER,              -- the last message about it
    last_sent_status   TEXT,                 -- what that message said: 'firing', 'resolved', null = none yet
    last_sent_severity TEXT,
    sent_count         INTEGER NOT NULL DEFAULT 0,
    held_by            TEXT,                 -- why it is not notified now: 'mute' or the inhibiting group key
    details            TEXT    NOT NULL      -- JSON: the latest alert (summary, facts, top replies, top domains)
);

-- Mutes set from the CLI; scope '' mutes every scope of the rule. Expired rows are deleted.
CREATE TABLE alert_mutes (
    rule       TEXT    NOT NULL,
    scope      TEXT    NOT NULL,
    until_ms   INTEGER NOT NULL,
    reason     TEXT,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (rule, scope)
);

-- Alerts people were told about, for the digest ("3 fired, 2 resolved") and `alerts list`.
CREATE TABLE alert_history (
    id          INTEGER PRIMARY KEY,
    group_key   TEXT    NOT NULL,
    rule        TEXT    NOT NULL,
    scope       TEXT    NOT NULL,
    severity    TEXT    NOT NULL,
    fired_ms    INTEGER NOT NULL,            -- the first message of the episode
    resolved_ms INTEGER                      -- the resolved message
);
CREATE INDEX alert_history_fired ON alert_history (fired_ms);

-- Scheduled notifications: the scheduled time last handled, so a restart neither skips nor doubles one.
CREATE TABLE notify_schedule (
    name    TEXT PRIMARY KEY,                -- 'digest.daily'
    last_ms INTEGER NOT NULL
);
