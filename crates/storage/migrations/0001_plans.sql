-- The plan model: organizations, departments, people, plans, their node trees,
-- cross-cutting tags and alignment links between plans.
-- Written once for both databases; the braced type placeholders are rendered per dialect.

CREATE TABLE organizations (
    id {id},
    name TEXT NOT NULL,
    parent_id {ref} REFERENCES organizations (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX organizations_name ON organizations (name);

CREATE TABLE departments (
    id {id},
    organization_id {ref} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL
);
CREATE UNIQUE INDEX departments_org_name ON departments (organization_id, name);

CREATE TABLE people (
    id {id},
    organization_id {ref} NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT,
    department_id {ref} REFERENCES departments (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX people_org_name ON people (organization_id, name);

CREATE TABLE plans (
    id {id},
    organization_id {ref} NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    plan_key TEXT NOT NULL,
    title TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    end_year INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
    vision TEXT,
    mission TEXT,
    principles_json TEXT NOT NULL,
    levels_json TEXT NOT NULL
);
CREATE UNIQUE INDEX plans_key ON plans (plan_key);
CREATE INDEX plans_org ON plans (organization_id);

CREATE TABLE nodes (
    id {id},
    plan_id {ref} NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    parent_id {ref} REFERENCES nodes (id) ON DELETE CASCADE,
    code TEXT,
    title TEXT NOT NULL,
    description TEXT,
    level INTEGER NOT NULL CHECK (level >= 0),
    position INTEGER NOT NULL,
    owner_id {ref} REFERENCES people (id) ON DELETE SET NULL,
    sponsor_id {ref} REFERENCES people (id) ON DELETE SET NULL,
    department_id {ref} REFERENCES departments (id) ON DELETE SET NULL,
    horizon TEXT,
    start_date {date},
    due_date {date},
    weight {real} NOT NULL
);
CREATE UNIQUE INDEX nodes_plan_code ON nodes (plan_id, code);
CREATE INDEX nodes_plan_parent ON nodes (plan_id, parent_id, position);
CREATE INDEX nodes_parent ON nodes (parent_id);
CREATE INDEX nodes_owner ON nodes (owner_id);
CREATE INDEX nodes_sponsor ON nodes (sponsor_id);
CREATE INDEX nodes_department ON nodes (department_id);

CREATE TABLE tags (
    id {id},
    plan_id {ref} NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    tag_key TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT
);
CREATE UNIQUE INDEX tags_plan_key ON tags (plan_id, tag_key);

CREATE TABLE node_tags (
    node_id {ref} NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    tag_id {ref} NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (node_id, tag_id)
);
CREATE INDEX node_tags_tag ON node_tags (tag_id);

CREATE TABLE alignments (
    id {id},
    from_node_id {ref} NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    to_node_id {ref} NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    note TEXT,
    CHECK (from_node_id <> to_node_id)
);
CREATE UNIQUE INDEX alignments_pair ON alignments (from_node_id, to_node_id);
CREATE INDEX alignments_to ON alignments (to_node_id);
