-- Portfolio governance: proposals for IT projects and purchases, their ties
-- to objectives, reviewers' scores, every stage transition, each
-- organization's governance configuration, staff capacity and budgets.
-- Cost lines, effort lines and links are JSON lists on the proposal: they are
-- always read and written with it, and the roll-ups are computed in Rust.

CREATE TABLE governance_settings (
    id {id},
    organization_id {ref} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- The whole GovernanceConfig as JSON.
    config_json TEXT NOT NULL,
    updated_at {timestamp} NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX governance_settings_org ON governance_settings (organization_id);

CREATE TABLE proposals (
    id {id},
    organization_id {ref} NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    plan_id {ref} REFERENCES plans (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    department_id {ref} REFERENCES departments (id) ON DELETE SET NULL,
    sponsor_id {ref} REFERENCES people (id) ON DELETE SET NULL,
    problem TEXT,
    benefits TEXT,
    risk TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high', 'critical')),
    target_start {date},
    target_end {date},
    links_json TEXT NOT NULL,
    costs_json TEXT NOT NULL,
    effort_json TEXT NOT NULL,
    -- `draft`, or a stage of the organization's configuration.
    stage TEXT NOT NULL,
    -- An exception to the tie rule: all three set, or none.
    exception_reason TEXT,
    exception_by {ref} REFERENCES users (id) ON DELETE SET NULL,
    exception_by_name TEXT,
    exception_at {timestamp},
    -- The initiative its approval created.
    node_id {ref} REFERENCES nodes (id) ON DELETE SET NULL,
    created_by {ref} REFERENCES users (id) ON DELETE SET NULL,
    created_by_name TEXT NOT NULL,
    created_at {timestamp} NOT NULL,
    submitted_at {timestamp},
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX proposals_org_stage ON proposals (organization_id, stage);
CREATE INDEX proposals_node ON proposals (node_id);

-- The objectives a proposal serves, first first.
CREATE TABLE proposal_objectives (
    id {id},
    proposal_id {ref} NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    node_id {ref} NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL
);
CREATE UNIQUE INDEX proposal_objectives_pair ON proposal_objectives (proposal_id, node_id);
CREATE INDEX proposal_objectives_node ON proposal_objectives (node_id);

-- One score per reviewer per criterion; scoring again replaces it.
CREATE TABLE proposal_scores (
    id {id},
    proposal_id {ref} NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    reviewer_id {ref} REFERENCES users (id) ON DELETE SET NULL,
    reviewer_name TEXT NOT NULL,
    criterion TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT,
    created_at {timestamp} NOT NULL,
    updated_at {timestamp} NOT NULL
);
CREATE UNIQUE INDEX proposal_scores_one ON proposal_scores (proposal_id, reviewer_id, criterion);

-- Every move of a proposal between stages: who, when, from, to, why.
CREATE TABLE proposal_transitions (
    id {id},
    proposal_id {ref} NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL,
    gate TEXT NOT NULL,
    reason TEXT NOT NULL,
    checklist_json TEXT NOT NULL,
    actor_id {ref} REFERENCES users (id) ON DELETE SET NULL,
    actor_name TEXT NOT NULL,
    at {timestamp} NOT NULL,
    note TEXT
);
CREATE INDEX proposal_transitions_proposal ON proposal_transitions (proposal_id, id);

-- Staff hours available per role per month (`YYYY-MM`).
CREATE TABLE staff_capacity (
    id {id},
    organization_id {ref} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    month TEXT NOT NULL,
    hours BIGINT NOT NULL CHECK (hours >= 0),
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX staff_capacity_one ON staff_capacity (organization_id, role, month);

-- Budget limits per fiscal year, in cents.
CREATE TABLE budgets (
    id {id},
    organization_id {ref} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    fiscal_year INTEGER NOT NULL,
    capital BIGINT NOT NULL CHECK (capital >= 0),
    operating BIGINT NOT NULL CHECK (operating >= 0),
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX budgets_one ON budgets (organization_id, fiscal_year);
