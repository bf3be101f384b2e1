-- Executing and measuring a plan: check-in cadence, milestones, check-ins and
-- their corrections, status overrides, evidence, measures, observations, and
-- the cached roll-up of every node and measure (see docs/status-rules.md).

ALTER TABLE nodes ADD COLUMN cadence TEXT NOT NULL DEFAULT 'none'
    CHECK (cadence IN ('monthly', 'quarterly', 'annually', 'none'));

-- The day the plan's cached statuses were last computed in full; staleness and
-- overdue depend on the date, so a new day triggers one full recomputation.
ALTER TABLE plans ADD COLUMN rollups_on {date};

CREATE TABLE milestones (
    id {id},
    node_id {ref} NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_date {date},
    done_date {date},
    position INTEGER NOT NULL
);
CREATE INDEX milestones_node ON milestones (node_id, position);

CREATE TABLE checkins (
    id {id},
    node_id {ref} NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    author_id {ref} REFERENCES people (id) ON DELETE SET NULL,
    checkin_date {date} NOT NULL,
    status TEXT NOT NULL,
    percent {real},
    happened TEXT,
    next_steps TEXT,
    help_needed TEXT,
    links_json TEXT NOT NULL,
    revision INTEGER NOT NULL,
    recorded_at {timestamp} NOT NULL
);
CREATE INDEX checkins_node_date ON checkins (node_id, checkin_date, id);

CREATE TABLE checkin_revisions (
    id {id},
    checkin_id {ref} NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    author_id {ref} REFERENCES people (id) ON DELETE SET NULL,
    checkin_date {date} NOT NULL,
    status TEXT NOT NULL,
    percent {real},
    happened TEXT,
    next_steps TEXT,
    help_needed TEXT,
    links_json TEXT NOT NULL,
    replaced_by {ref} REFERENCES people (id) ON DELETE SET NULL,
    replaced_at {timestamp} NOT NULL,
    reason TEXT NOT NULL
);
CREATE UNIQUE INDEX checkin_revisions_number ON checkin_revisions (checkin_id, revision);

CREATE TABLE status_overrides (
    node_id {ref} PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    set_by {ref} REFERENCES people (id) ON DELETE SET NULL,
    set_at {timestamp} NOT NULL
);

-- Overrides replaced or cleared, kept so no reason a user gave is lost.
CREATE TABLE status_override_revisions (
    id {id},
    node_id {ref} NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    set_by {ref} REFERENCES people (id) ON DELETE SET NULL,
    set_at {timestamp} NOT NULL,
    replaced_at {timestamp} NOT NULL
);
CREATE INDEX status_override_revisions_node ON status_override_revisions (node_id, replaced_at);

CREATE TABLE evidence (
    id {id},
    node_id {ref} NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    evidence_date {date} NOT NULL,
    before_text TEXT,
    after_text TEXT,
    narrative TEXT,
    source TEXT
);
CREATE INDEX evidence_node ON evidence (node_id, evidence_date);

CREATE TABLE measures (
    id {id},
    plan_id {ref} NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    node_id {ref} NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    measure_key TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    unit TEXT,
    direction TEXT NOT NULL,
    baseline_value {real},
    baseline_date {date},
    targets_json TEXT NOT NULL,
    threshold_basis TEXT NOT NULL,
    threshold_green {real} NOT NULL,
    threshold_amber {real} NOT NULL,
    frequency TEXT NOT NULL,
    data_source TEXT,
    owner_id {ref} REFERENCES people (id) ON DELETE SET NULL,
    formula TEXT,
    weight {real} NOT NULL,
    position INTEGER NOT NULL
);
CREATE UNIQUE INDEX measures_plan_key ON measures (plan_id, measure_key);
CREATE INDEX measures_node ON measures (node_id, position);
-- Every observation write looks for the calculated measures that depend on it.
CREATE INDEX measures_calculated ON measures (plan_id) WHERE formula IS NOT NULL;

CREATE TABLE observations (
    id {id},
    measure_id {ref} NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    period_start {date} NOT NULL,
    period_end {date} NOT NULL,
    value {real} NOT NULL,
    observed_on {date},
    note TEXT,
    source TEXT,
    recorded_at {timestamp} NOT NULL
);
CREATE UNIQUE INDEX observations_measure_period ON observations (measure_id, period);
CREATE INDEX observations_latest ON observations (measure_id, period_end, period_start);

-- A value replaced by a later import or API call, kept so nothing entered is lost.
CREATE TABLE observation_revisions (
    id {id},
    observation_id {ref} NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    value {real} NOT NULL,
    observed_on {date},
    note TEXT,
    source TEXT,
    recorded_at {timestamp} NOT NULL,
    replaced_at {timestamp} NOT NULL
);
CREATE INDEX observation_revisions_observation ON observation_revisions (observation_id);

-- Cached: each measure's latest value and the status it gives.
CREATE TABLE measure_rollups (
    measure_id {ref} PRIMARY KEY REFERENCES measures (id) ON DELETE CASCADE,
    plan_id {ref} NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    latest_period TEXT,
    latest_value {real},
    health TEXT,
    reason TEXT NOT NULL,
    computed_on {date} NOT NULL
);
CREATE INDEX measure_rollups_plan ON measure_rollups (plan_id);

-- Cached: each node's own latest report and its computed status and progress.
CREATE TABLE node_rollups (
    node_id {ref} PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
    plan_id {ref} NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    last_checkin_date {date},
    reported_status TEXT,
    reported_percent {real},
    status TEXT NOT NULL,
    score {real},
    progress {real},
    computed_on {date} NOT NULL
);
CREATE INDEX node_rollups_plan ON node_rollups (plan_id);
