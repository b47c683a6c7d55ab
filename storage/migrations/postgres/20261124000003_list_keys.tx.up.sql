-- Listing a team's members must not sort or count the whole team: each
-- membership carries copies of its user's sort keys, with one index per sort
-- key over the members that are listed (not removed), and each team counts
-- its listed members. The store writes both when it inserts memberships (in
-- bulk, cheaper than a trigger per row); the triggers below keep them when a
-- user's keys or a membership's status change, or a membership goes. Text
-- keys sort by bytes (COLLATE "C"), as on SQLite.

ALTER TABLE memberships ADD COLUMN first_name_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN last_name_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN email_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN signup_at TIMESTAMPTZ;
ALTER TABLE teams ADD COLUMN listed_members INTEGER NOT NULL DEFAULT 0;

UPDATE memberships m SET first_name_key = u.first_name_key, last_name_key = u.last_name_key,
    email_key = COALESCE(u.email_norm, ''), signup_at = u.created_at
FROM users u WHERE u.id = m.user_id;
UPDATE teams t SET listed_members =
    (SELECT count(*) FROM memberships m WHERE m.team_id = t.id AND m.status <> 2);

CREATE INDEX memberships_list_first_name_idx ON memberships (team_id, first_name_key, user_id) WHERE status <> 2;
CREATE INDEX memberships_list_last_name_idx ON memberships (team_id, last_name_key, user_id) WHERE status <> 2;
CREATE INDEX memberships_list_email_idx ON memberships (team_id, email_key, user_id) WHERE status <> 2;
CREATE INDEX memberships_list_role_idx ON memberships (team_id, role, user_id) WHERE status <> 2;
CREATE INDEX memberships_list_signup_idx ON memberships (team_id, signup_at, user_id) WHERE status <> 2;

CREATE FUNCTION identity_membership_listed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer := 0;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.status <> 2 THEN delta := delta + 1; END IF;
        IF OLD.status <> 2 THEN delta := delta - 1; END IF;
        IF delta <> 0 THEN
            UPDATE teams SET listed_members = listed_members + delta WHERE id = NEW.team_id;
        END IF;
    ELSIF OLD.status <> 2 THEN
        UPDATE teams SET listed_members = listed_members - 1 WHERE id = OLD.team_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER memberships_listed AFTER UPDATE OF status OR DELETE ON memberships
FOR EACH ROW EXECUTE FUNCTION identity_membership_listed();

CREATE FUNCTION identity_user_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE memberships SET first_name_key = NEW.first_name_key, last_name_key = NEW.last_name_key,
        email_key = COALESCE(NEW.email_norm, '')
    WHERE user_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER users_keys_changed AFTER UPDATE ON users FOR EACH ROW
WHEN (OLD.first_name_key IS DISTINCT FROM NEW.first_name_key
    OR OLD.last_name_key IS DISTINCT FROM NEW.last_name_key
    OR OLD.email_norm IS DISTINCT FROM NEW.email_norm)
EXECUTE FUNCTION identity_user_keys();
