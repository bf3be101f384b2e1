-- The audit log: one row per inserted, updated or deleted row of every domain
-- table, written by triggers in the transaction that makes the change. The
-- triggers, and those that refuse to change or remove a logged row, are
-- generated from the live schema at every start-up (src/audit.rs), because a
-- trigger body does not survive this file's statement splitter and because
-- SQLite's triggers must name the columns, which later migrations add to.

CREATE TABLE audit_log (
    id {id},
    at {timestamp} NOT NULL,
    -- The account that acted, when one did, and how the log names the actor
    -- ("ada@city.gov", "token:nightly-metrics", "cli:root", or "system").
    actor_id {ref},
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    -- The table written, and the row's id (none for a table whose key has
    -- several columns, such as node_tags).
    entity TEXT NOT NULL,
    entity_id {ref},
    -- The plan and node the row belongs to, where it has or leads to one.
    -- No foreign keys: the log outlives what it describes.
    plan_id {ref},
    node_id {ref},
    -- The row as JSON before and after the change (none for an insert's
    -- before and a delete's after), without secrets and cached values.
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_node ON audit_log (node_id, id);
CREATE INDEX audit_log_plan ON audit_log (plan_id, id);
CREATE INDEX audit_log_at ON audit_log (at);
-- Finds the last known plan and node of a row already gone (a cascade).
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

-- SQLite only (PostgreSQL keeps the actor in transaction-local settings): the
-- actor of the write transaction in progress. SQLite runs one write
-- transaction at a time, so the row is that transaction's own; it is set when
-- a transaction starts and cleared before it commits, so it is empty at rest.
CREATE TABLE audit_actor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    actor_id {ref},
    actor TEXT
);
INSERT INTO audit_actor (id) VALUES (1);
