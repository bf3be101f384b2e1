-- Optimistic concurrency: every record the API lets a client replace carries a
-- version, 1 when the record is created and one higher after each change. A
-- write names the version it was based on and is refused when the row has
-- moved on, so nobody silently undoes a change they never saw.
-- BIGINT on both databases, so that PostgreSQL hands it back as the 64-bit
-- integer the code reads. Check-ins need no new column: `revision` already
-- starts at 1 and rises with every correction, and serves as their version.

ALTER TABLE organizations ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE departments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE people ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE plans ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE nodes ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE tags ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE alignments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE measures ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE milestones ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE evidence ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- A node's current override. Its version continues the count of overrides the
-- node has had (those replaced or cleared are kept in the revisions table), so
-- an override set after another was cleared never reuses that one's version.
ALTER TABLE status_overrides ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
UPDATE status_overrides SET version = 1 + (
    SELECT COUNT(*) FROM status_override_revisions r WHERE r.node_id = status_overrides.node_id
);
