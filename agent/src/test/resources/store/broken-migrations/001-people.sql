-- test-only schema v1
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
