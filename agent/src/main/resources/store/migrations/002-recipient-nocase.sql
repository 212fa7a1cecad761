-- Addresses are matched case-insensitively (countFailures, the results filter, the suppression check):
-- an index with NOCASE collation lets "recipient = ? COLLATE NOCASE" use it.
DROP INDEX results_recipient;
CREATE INDEX results_recipient_nocase ON results (recipient COLLATE NOCASE, time_ms);
