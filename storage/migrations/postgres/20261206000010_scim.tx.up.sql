-- SCIM provisioning. A team records a display name, a phone and a login
-- name (SCIM userName) of its own for each member (user.Profile). A
-- member's userName is the login name, or the email when it has none: an
-- index over that expression, folded as lower() folds, serves the lookup
-- by userName that provisioning clients start with. A provisioning client finds a member by
-- its externalId: an index over the listed members (not removed), as the
-- list indexes are, serves that lookup and the sort by externalId, ties by
-- user ID; external IDs sort by bytes (COLLATE "C"), as on SQLite. Projects
-- get an external ID and an update time; existing projects were last
-- updated when created. Their indexes serve a team's projects oldest first,
-- and the lookups by name (ASCII letters in either case: lower() under
-- COLLATE "C" folds ASCII only, as SQLite's does) and by external ID.

ALTER TABLE memberships ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN phone        TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN login_name   TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE memberships ALTER COLUMN external_id TYPE TEXT COLLATE "C";
CREATE INDEX memberships_list_user_name_idx ON memberships (team_id, lower((CASE WHEN login_name <> '' THEN login_name ELSE email_key END) COLLATE "C"), user_id) WHERE status <> 2;
CREATE INDEX memberships_list_external_id_idx ON memberships (team_id, external_id, user_id) WHERE status <> 2;

ALTER TABLE projects ADD COLUMN external_id TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN updated_at  TIMESTAMPTZ;
UPDATE projects SET updated_at = created_at;
CREATE INDEX projects_list_idx ON projects (team_id, created_at, id COLLATE "C");
CREATE INDEX projects_name_idx ON projects (team_id, lower(name COLLATE "C"));
CREATE INDEX projects_external_id_idx ON projects (team_id, external_id);
