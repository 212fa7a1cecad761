-- The list pages newest first (ORDER BY created_ms DESC, address). Indexed on created_ms alone, SQLite
-- sorted the whole table in a temporary B-tree for every page (0.6-2.2 s a 10k page at 300k entries);
-- with address in the index in the same order it walks the index and stops after the page.
-- It replaces suppressions_created: a range on created_ms uses the new index the same way.
DROP INDEX suppressions_created;
CREATE INDEX suppressions_created_address ON suppressions (created_ms DESC, address);
