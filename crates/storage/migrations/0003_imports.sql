-- Plan documents read by the importer (text, Markdown, PDF, Word, StratML) or
-- uploaded as plan-as-code. A draft is kept here until someone confirms it;
-- afterwards the row stays, linked to the plan it created, so the plan's
-- reviewer can still see what the importer was unsure about.

CREATE TABLE imports (
    id {id},
    source_name TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    -- The draft plan document and the measure values it reports, as JSON.
    draft_json TEXT NOT NULL,
    -- What the importer was unsure about: a JSON list of {line, message}.
    warnings_json TEXT NOT NULL,
    created_at {timestamp} NOT NULL,
    confirmed_at {timestamp},
    plan_id {ref} REFERENCES plans (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX imports_plan ON imports (plan_id);
