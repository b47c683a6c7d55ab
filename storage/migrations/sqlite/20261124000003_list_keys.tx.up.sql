-- Listing a team's members must not sort or count the whole team: each
-- membership carries copies of its user's sort keys, with one index per sort
-- key over the members that are listed (not removed), and each team counts
-- its listed members. The store writes both when it inserts memberships (in
-- bulk, cheaper than a trigger per row); the triggers below keep them when a
-- user's keys or a membership's status change, or a membership goes.

ALTER TABLE memberships ADD COLUMN first_name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN last_name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN signup_at TIMESTAMP;
ALTER TABLE teams ADD COLUMN listed_members INTEGER NOT NULL DEFAULT 0;

UPDATE memberships SET (first_name_key, last_name_key, email_key, signup_at) =
    (SELECT u.first_name_key, u.last_name_key, COALESCE(u.email_norm, ''), u.created_at
     FROM users u WHERE u.id = memberships.user_id);
UPDATE teams SET listed_members =
    (SELECT count(*) FROM memberships m WHERE m.team_id = teams.id AND m.status <> 2);

CREATE INDEX memberships_list_first_name_idx ON memberships (team_id, first_name_key, user_id) WHERE status <> 2;
CREATE INDEX memberships_list_last_name_idx ON memberships (team_id, last_name_key, user_id) WHERE status <> 2;
CREATE INDEX memberships_list_email_idx ON memberships (team_id, email_key, user_id) WHERE status <> 2;
CREATE INDEX memberships_list_role_idx ON memberships (team_id, role, user_id) WHERE status <> 2;
CREATE INDEX memberships_list_signup_idx ON memberships (team_id, signup_at, user_id) WHERE status <> 2;

CREATE TRIGGER memberships_status_changed AFTER UPDATE OF status ON memberships
WHEN (OLD.status = 2) <> (NEW.status = 2) BEGIN
    UPDATE teams SET listed_members = listed_members + CASE WHEN NEW.status = 2 THEN -1 ELSE 1 END
    WHERE id = NEW.team_id;
END;

CREATE TRIGGER memberships_deleted AFTER DELETE ON memberships WHEN OLD.status <> 2 BEGIN
    UPDATE teams SET listed_members = listed_members - 1 WHERE id = OLD.team_id;
END;

CREATE TRIGGER users_keys_changed AFTER UPDATE OF first_name_key, last_name_key, email_norm ON users
WHEN OLD.first_name_key IS NOT NEW.first_name_key OR OLD.last_name_key IS NOT NEW.last_name_key
    OR OLD.email_norm IS NOT NEW.email_norm BEGIN
    UPDATE memberships SET first_name_key = NEW.first_name_key, last_name_key = NEW.last_name_key,
        email_key = COALESCE(NEW.email_norm, '')
    WHERE user_id = NEW.id;
END;
