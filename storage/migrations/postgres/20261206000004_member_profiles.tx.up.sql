-- What a team records about a person is that team's (SPEC-NOTES.md, "What
-- a team knows about a person"): the names, every profile attribute, the
-- free-form extension and the last login to the team move from users to
-- memberships, named as bun names the fields of team.Membership. Each
-- membership starts with its user's current values, so every member's
-- answers to their own team stay as they were. The store derives full_name,
-- the sort keys (already on memberships) and search_text from the
-- membership's own names; search_text is now the lower-cased full name and a
-- newline, which list searches match followed by email_key, the copy of the
-- user's email that memberships already hold: the first characters of the
-- user's old search_text. Then the moved columns leave users, so that nothing
-- global can carry one team's values to another; none of them is indexed or
-- named by a trigger, so SQLite drops them as Postgres does.

ALTER TABLE memberships ADD COLUMN first_name      TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN middle_name     TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN last_name       TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN nick_name       TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN gender          TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN age             INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN city            TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN city_raw        TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN city_mobile     TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN area            TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN company_name    TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN job_title       TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN department      TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN industry        TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN linked_in_url   TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN employee_id     TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN external_id     TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN identity_type   TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN identity_number TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN manager_id      TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN birthday        TIMESTAMPTZ;
ALTER TABLE memberships ADD COLUMN personnel_type  TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN hire_date       TIMESTAMPTZ;
ALTER TABLE memberships ADD COLUMN work_place      TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN extension       JSONB   NOT NULL DEFAULT '{}';
ALTER TABLE memberships ADD COLUMN last_login_ip   TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN last_login_at   TIMESTAMPTZ;
ALTER TABLE memberships ADD COLUMN full_name       TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN search_text     TEXT    NOT NULL DEFAULT '';

UPDATE memberships m SET
    first_name = u.first_name,
    middle_name = u.middle_name,
    last_name = u.last_name,
    nick_name = u.nick_name,
    gender = u.gender,
    age = u.age,
    city = u.city,
    city_raw = u.city_raw,
    city_mobile = u.city_mobile,
    area = u.area,
    company_name = u.company_name,
    job_title = u.job_title,
    department = u.department,
    industry = u.industry,
    linked_in_url = u.linked_in_url,
    employee_id = u.employee_id,
    external_id = u.external_id,
    identity_type = u.identity_type,
    identity_number = u.identity_number,
    manager_id = u.manager_id,
    birthday = u.birthday,
    personnel_type = u.personnel_type,
    hire_date = u.hire_date,
    work_place = u.work_place,
    extension = u.extension,
    last_login_ip = u.last_login_ip,
    last_login_at = u.last_login_at,
    full_name = u.full_name,
    search_text = substr(u.search_text, 1, length(u.full_name) + 1)
FROM users u WHERE u.id = m.user_id;

ALTER TABLE users
    DROP COLUMN first_name,
    DROP COLUMN middle_name,
    DROP COLUMN last_name,
    DROP COLUMN nick_name,
    DROP COLUMN gender,
    DROP COLUMN age,
    DROP COLUMN city,
    DROP COLUMN city_raw,
    DROP COLUMN city_mobile,
    DROP COLUMN area,
    DROP COLUMN company_name,
    DROP COLUMN job_title,
    DROP COLUMN department,
    DROP COLUMN industry,
    DROP COLUMN linked_in_url,
    DROP COLUMN employee_id,
    DROP COLUMN external_id,
    DROP COLUMN identity_type,
    DROP COLUMN identity_number,
    DROP COLUMN manager_id,
    DROP COLUMN birthday,
    DROP COLUMN personnel_type,
    DROP COLUMN hire_date,
    DROP COLUMN work_place,
    DROP COLUMN extension,
    DROP COLUMN last_login_ip,
    DROP COLUMN last_login_at,
    DROP COLUMN full_name,
    DROP COLUMN first_name_key,
    DROP COLUMN last_name_key,
    DROP COLUMN search_text;
