-- Plan revisions: the annual review re-words, moves, adds and retires nodes,
-- and each review is kept as a numbered revision of the plan with a snapshot
-- of the plan as it then stood, so any two can be compared node by node.

CREATE TABLE plan_revisions (
    id {id},
    plan_id {ref} NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    -- 1 for the plan as first stored, one higher for each revision after it.
    number INTEGER NOT NULL CHECK (number >= 1),
    created_at {timestamp} NOT NULL,
    -- How the audit log names whoever made it (`ada@city.gov`, `cli:root`).
    created_by TEXT NOT NULL,
    note TEXT,
    -- JSON: the plan's nodes with their ids, and its plan-as-code document.
    snapshot TEXT NOT NULL
);
CREATE UNIQUE INDEX plan_revisions_number ON plan_revisions (plan_id, number);

-- A node left out of a revision is retired, never deleted: its check-ins,
-- observations and measures stay attached, but it leaves the live plan.
ALTER TABLE nodes ADD COLUMN retired_in_revision INTEGER;
ALTER TABLE nodes ADD COLUMN retired_at {timestamp};
CREATE INDEX nodes_plan_live ON nodes (plan_id, retired_in_revision);
