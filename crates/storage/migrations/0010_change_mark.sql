-- The change mark: one number that every writing transaction raises just
-- before it commits. A process that keeps a view derived from the database
-- (a rendered dashboard, a plan tree's JSON) remembers the mark it read before
-- reading the data, and serves the view again only while the mark is still the
-- same, so a write made through any instance invalidates every instance's copy.
-- A counter row, not the audit log's highest id: PostgreSQL hands out ids at
-- insert, not in commit order, so a later id can become visible first.

CREATE TABLE change_mark (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    mark BIGINT NOT NULL
);

INSERT INTO change_mark (id, mark) VALUES (1, 0);
