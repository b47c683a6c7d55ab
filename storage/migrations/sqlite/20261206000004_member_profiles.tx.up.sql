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
ALTER TABLE memberships ADD COLUMN birthday        TIMESTAMP;
ALTER TABLE memberships ADD COLUMN personnel_type  TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN hire_date       TIMESTAMP;
ALTER TABLE memberships ADD COLUMN work_place      TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN extension       TEXT    NOT NULL DEFAULT '{}';
ALTER TABLE memberships ADD COLUMN last_login_ip   TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN last_login_at   TIMESTAMP;
ALTER TABLE memberships ADD COLUMN full_name       TEXT    NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN search_text     TEXT    NOT NULL DEFAULT '';

UPDATE memberships SET
    (first_name, middle_name, last_name, nick_name, gender, age, city, city_raw, city_mobile, area, company_name, job_title, department, industry, linked_in_url, employee_id, external_id, identity_type, identity_number, manager_id, birthday, personnel_type, hire_date, work_place, extension, last_login_ip, last_login_at, full_name, search_text) =
    (SELECT u.first_name, u.middle_name, u.last_name, u.nick_name, u.gender, u.age, u.city, u.city_raw, u.city_mobile, u.area, u.company_name, u.job_title, u.department, u.industry, u.linked_in_url, u.employee_id, u.external_id, u.identity_type, u.identity_number, u.manager_id, u.birthday, u.personnel_type, u.hire_date, u.work_place, u.extension, u.last_login_ip, u.last_login_at, u.full_name,
        substr(u.search_text, 1, length(u.full_name) + 1)
     FROM users u WHERE u.id = memberships.user_id);

ALTER TABLE users DROP COLUMN first_name;
ALTER TABLE users DROP COLUMN middle_name;
ALTER TABLE users DROP COLUMN last_name;
ALTER TABLE users DROP COLUMN nick_name;
ALTER TABLE users DROP COLUMN gender;
ALTER TABLE users DROP COLUMN age;
ALTER TABLE users DROP COLUMN city;
ALTER TABLE users DROP COLUMN city_raw;
ALTER TABLE users DROP COLUMN city_mobile;
ALTER TABLE users DROP COLUMN area;
ALTER TABLE users DROP COLUMN company_name;
ALTER TABLE users DROP COLUMN job_title;
ALTER TABLE users DROP COLUMN department;
ALTER TABLE users DROP COLUMN industry;
ALTER TABLE users DROP COLUMN linked_in_url;
ALTER TABLE users DROP COLUMN employee_id;
ALTER TABLE users DROP COLUMN external_id;
ALTER TABLE users DROP COLUMN identity_type;
ALTER TABLE users DROP COLUMN identity_number;
ALTER TABLE users DROP COLUMN manager_id;
ALTER TABLE users DROP COLUMN birthday;
ALTER TABLE users DROP COLUMN personnel_type;
ALTER TABLE users DROP COLUMN hire_date;
ALTER TABLE users DROP COLUMN work_place;
ALTER TABLE users DROP COLUMN extension;
ALTER TABLE users DROP COLUMN last_login_ip;
ALTER TABLE users DROP COLUMN last_login_at;
ALTER TABLE users DROP COLUMN full_name;
ALTER TABLE users DROP COLUMN first_name_key;
ALTER TABLE users DROP COLUMN last_name_key;
ALTER TABLE users DROP COLUMN search_text;
