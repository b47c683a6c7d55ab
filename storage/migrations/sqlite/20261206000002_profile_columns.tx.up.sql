-- The profile's columns are named as bun names the fields of user.Profile,
-- which the users row embeds.
ALTER TABLE users RENAME COLUMN linkedin_url TO linked_in_url;
