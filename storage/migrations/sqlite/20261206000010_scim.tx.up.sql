-- SCIM provisioning. A team records a display name and a phone of its own
-- for each member (user.Profile). A provisioning client finds a member by
-- its externalId: an index over the listed members (not removed), as the
-- list indexes are, serves that lookup and the sort by externalId, ties by
-- user ID. Projects get an external ID and an update time; existing
-- projects were last updated when created. Their indexes serve a team's
-- projects oldest first, and the lookups by name (ASCII letters in either
-- case, as lower() folds them) and by external ID.

ALTER TABLE memberships ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN phone        TEXT NOT NULL DEFAULT '';
CREATE INDEX memberships_list_external_id_idx ON memberships (team_id, external_id, user_id) WHERE status <> 2;

ALTER TABLE projects ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN updated_at  TIMESTAMP;
UPDATE projects SET updated_at = created_at;
CREATE INDEX projects_list_idx ON projects (team_id, created_at, id);
CREATE INDEX projects_name_idx ON projects (team_id, lower(name));
CREATE INDEX projects_external_id_idx ON projects (team_id, external_id);
