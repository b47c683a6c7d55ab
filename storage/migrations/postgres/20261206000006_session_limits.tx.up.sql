-- Sessions with both limits, listed and revoked (issue 21). A session gets a
-- public ID, which its user lists and revokes it by (never the token or its
-- hash), a maximum age from its creation besides its idle limit, and the
-- client address it was opened from.
--
-- Existing sessions: a new random ID; the default maximum age of their kind,
-- 30 days for those opened with keep_me_login (an idle limit of 30 days) and
-- 12 hours for the others, so that one older than that ends at its next use;
-- and an unknown address ('').
ALTER TABLE sessions ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN max_age_us BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';

UPDATE sessions SET
    id = replace(gen_random_uuid()::text, '-', ''),
    max_age_us = CASE WHEN idle_limit_us >= 2592000000000 THEN 2592000000000 ELSE 43200000000 END;

CREATE UNIQUE INDEX sessions_id_key ON sessions (id);
