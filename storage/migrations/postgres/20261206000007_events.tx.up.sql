-- The audit trail (issue 23): one row per change, appended in the
-- transaction that made it. ids follow commit order (on Postgres the append
-- takes an advisory lock held to commit; SQLite has one writer). No foreign
-- keys: events outlive the members and teams they are about. fields is a
-- JSON array of the names of the changed fields, never their values.
CREATE TABLE events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    team_id     TEXT NOT NULL,
    actor_kind  TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    action      TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    address     TEXT NOT NULL,
    fields      TEXT NOT NULL
);

-- A team's pages are newest first, by time and then id, so that a time
-- range is a range of each index.
CREATE INDEX events_team_idx ON events (team_id, at, id);
CREATE INDEX events_team_user_idx ON events (team_id, user_id, at, id);
CREATE INDEX events_team_action_idx ON events (team_id, action, at, id);
CREATE INDEX events_at_idx ON events (at);
