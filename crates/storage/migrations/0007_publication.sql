-- Publication: what anonymous visitors of the public portal may read.
-- A plan is private until published (`published_at` set). Once it is, every
-- node of it is public except those withheld here; a withheld node hides its
-- whole subtree, and measures, check-ins, milestones and evidence follow their
-- node. Rows go with their node when it is deleted.

ALTER TABLE plans ADD COLUMN published_at {timestamp};

CREATE TABLE withheld_nodes (
    node_id {ref} PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
    withheld_at {timestamp} NOT NULL
);
