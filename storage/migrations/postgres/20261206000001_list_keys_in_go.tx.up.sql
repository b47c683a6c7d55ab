-- One owner for the list keys: the store, in Go. It already wrote each
-- membership's copies of its user's sort keys, and each team's count of
-- listed (not removed) members, when it inserts memberships, in bulk: a
-- trigger per inserted row made the Postgres import of 100,000 members about
-- 12 % slower. Keeping the other half in the triggers of the list_keys
-- migration meant two owners and two copies, one per dialect; the store now
-- keeps them on every write instead (see membershipRow in memberships.go):
-- UpdateUser copies changed keys to the user's memberships, UpdateMembership
-- moves the count when a status goes to or from removed, and nothing deletes
-- memberships. The columns and indexes stay.

DROP TRIGGER memberships_listed ON memberships;
DROP TRIGGER users_keys_changed ON users;
DROP FUNCTION identity_membership_listed();
DROP FUNCTION identity_user_keys();
