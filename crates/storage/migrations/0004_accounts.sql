-- Who may use Lodestar: local accounts, their sign-in sessions, the API tokens
-- that machine clients use, and the counters that throttle password guessing.
-- Everything that must hold across several instances lives here, not in memory.

CREATE TABLE users (
    id {id},
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- administrator, plan-editor, reviewer or viewer.
    role TEXT NOT NULL,
    -- The person of an organization this account is: makes it the sponsor or
    -- owner of the nodes that name that person.
    person_id {ref} REFERENCES people (id) ON DELETE SET NULL,
    -- An argon2id hash in PHC format; never the password.
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at {timestamp} NOT NULL,
    password_changed_at {timestamp} NOT NULL
);
-- Addresses are told apart without regard to case.
CREATE UNIQUE INDEX users_email ON users (LOWER(email));

CREATE TABLE sessions (
    id {id},
    -- SHA-256 of the cookie's value; the value itself is never stored.
    token_hash TEXT NOT NULL UNIQUE,
    user_id {ref} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Sent back in forms and the X-CSRF-Token header of state-changing requests.
    csrf_token TEXT NOT NULL,
    created_at {timestamp} NOT NULL,
    last_seen_at {timestamp} NOT NULL,
    expires_at {timestamp} NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id {id},
    user_id {ref} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- SHA-256 of the token; the token is shown once, when it is created.
    token_hash TEXT NOT NULL UNIQUE,
    -- Space-separated: read, write-measures, admin.
    scopes TEXT NOT NULL,
    created_at {timestamp} NOT NULL,
    last_used_at {timestamp},
    revoked_at {timestamp}
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed sign-ins per account (`account:EMAIL`) and per address
-- (`address:IP`) in the current window.
CREATE TABLE login_attempts (
    throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start {timestamp} NOT NULL
);
