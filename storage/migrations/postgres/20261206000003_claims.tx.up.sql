-- Who owns an account (issue 20). An account is claimed once someone
-- redeemed a code sent to its address; until then a password opens only the
-- team that set it, kept on that membership, and users.password_hash holds
-- only the owner's.
--
-- Existing accounts: claimed if activated after they were created, which
-- only redeeming an activation or invitation code did (an admin's create and
-- an import activate at creation). An unclaimed account's password is copied
-- to every membership it has, so that every member logs in to every team as
-- before, and leaves users.
ALTER TABLE users ADD COLUMN claimed_at TIMESTAMPTZ;
ALTER TABLE memberships ADD COLUMN password_hash BYTEA;
ALTER TABLE memberships ADD COLUMN password_changed_at TIMESTAMPTZ;
ALTER TABLE codes ADD COLUMN email TEXT NOT NULL DEFAULT '';

UPDATE users SET claimed_at = activated_at WHERE activated_at > created_at;

UPDATE memberships SET
    password_hash = (SELECT u.password_hash FROM users AS u WHERE u.id = memberships.user_id),
    password_changed_at = (SELECT u.password_changed_at FROM users AS u WHERE u.id = memberships.user_id)
WHERE user_id IN (SELECT u.id FROM users AS u WHERE u.claimed_at IS NULL);

UPDATE users SET password_hash = NULL, password_changed_at = NULL WHERE claimed_at IS NULL;
