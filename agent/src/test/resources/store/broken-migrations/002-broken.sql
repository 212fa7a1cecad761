-- the first statement works, the second fails: the whole migration must roll back
CREATE TABLE half_done (x INTEGER);
ALTER TABLE no_such_table ADD COLUMN y TEXT;
