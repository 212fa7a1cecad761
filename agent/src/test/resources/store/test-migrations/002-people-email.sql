-- test-only schema v2: a new column with a default and a table filled from the old one
ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT 'unknown';
CREATE TABLE names (name TEXT PRIMARY KEY);
INSERT INTO names (name) SELECT name FROM people;
