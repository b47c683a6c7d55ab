-- The identity schema on Postgres, created in the first schema of the
-- search_path. Text that is searched or sorted has a lower-cased copy kept by
-- the store and is sorted with COLLATE "C", as SQLite sorts it.

CREATE TABLE teams (
    id            TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL DEFAULT '',
    website       TEXT    NOT NULL DEFAULT '',
    business_size TEXT    NOT NULL DEFAULT '',
    phone         TEXT    NOT NULL DEFAULT '',
    status        INTEGER NOT NULL,
    plan_id       INTEGER NOT NULL DEFAULT 0,
    payment_id    TEXT    NOT NULL DEFAULT '',
    region        TEXT    NOT NULL DEFAULT '',
    domain        TEXT    NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ,
    CONSTRAINT teams_pkey PRIMARY KEY (id)
);

CREATE TABLE users (
    id                    TEXT    NOT NULL,
    user_name             TEXT    NOT NULL DEFAULT '',
    first_name            TEXT    NOT NULL DEFAULT '',
    middle_name           TEXT    NOT NULL DEFAULT '',
    last_name             TEXT    NOT NULL DEFAULT '',
    nick_name             TEXT    NOT NULL DEFAULT '',
    full_name             TEXT    NOT NULL DEFAULT '',
    first_name_key        TEXT    NOT NULL DEFAULT '',
    last_name_key         TEXT    NOT NULL DEFAULT '',
    search_text           TEXT    NOT NULL DEFAULT '',
    email_display         TEXT    NOT NULL DEFAULT '',
    email_norm            TEXT,
    mobile_e164           TEXT,
    mobile_backup_e164    TEXT,
    gender                TEXT    NOT NULL DEFAULT '',
    age                   INTEGER NOT NULL DEFAULT 0,
    city                  TEXT    NOT NULL DEFAULT '',
    city_raw              TEXT    NOT NULL DEFAULT '',
    city_mobile           TEXT    NOT NULL DEFAULT '',
    area                  TEXT    NOT NULL DEFAULT '',
    company_name          TEXT    NOT NULL DEFAULT '',
    job_title             TEXT    NOT NULL DEFAULT '',
    department            TEXT    NOT NULL DEFAULT '',
    industry              TEXT    NOT NULL DEFAULT '',
    linkedin_url          TEXT    NOT NULL DEFAULT '',
    employee_id           TEXT    NOT NULL DEFAULT '',
    external_id           TEXT    NOT NULL DEFAULT '',
    identity_type         TEXT    NOT NULL DEFAULT '',
    identity_number       TEXT    NOT NULL DEFAULT '',
    manager_id            TEXT    NOT NULL DEFAULT '',
    birthday              TIMESTAMPTZ,
    personnel_type        TEXT    NOT NULL DEFAULT '',
    hire_date             TIMESTAMPTZ,
    work_place            TEXT    NOT NULL DEFAULT '',
    time_zone             INTEGER NOT NULL DEFAULT 0,
    lang                  TEXT    NOT NULL DEFAULT '',
    notification_flag     TEXT    NOT NULL DEFAULT '',
    status_notify         TEXT    NOT NULL DEFAULT '',
    notify_display_count  INTEGER NOT NULL DEFAULT 0,
    notify_display_period INTEGER NOT NULL DEFAULT 0,
    landing_page          INTEGER NOT NULL DEFAULT 0,
    session_timeout       INTEGER NOT NULL DEFAULT 0,
    status                INTEGER NOT NULL DEFAULT 0,
    disabled              BOOLEAN NOT NULL DEFAULT FALSE,
    locked                BOOLEAN NOT NULL DEFAULT FALSE,
    grade                 INTEGER NOT NULL DEFAULT 0,
    must_change_password  BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash         BYTEA,
    password_changed_at   TIMESTAMPTZ,
    activated_at          TIMESTAMPTZ,
    home_team_id          TEXT,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ,
    last_login_ip         TEXT    NOT NULL DEFAULT '',
    last_login_at         TIMESTAMPTZ,
    last_activity_at      TIMESTAMPTZ,
    extension             JSONB   NOT NULL DEFAULT '{}',
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_norm_key UNIQUE (email_norm),
    CONSTRAINT users_mobile_e164_key UNIQUE (mobile_e164)
);

CREATE TABLE memberships (
    team_id    TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    role       INTEGER NOT NULL,
    status     INTEGER NOT NULL,
    pool       TEXT    NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ,
    CONSTRAINT memberships_pkey PRIMARY KEY (team_id, user_id),
    CONSTRAINT memberships_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id),
    CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)
);

CREATE INDEX memberships_team_id_status_idx ON memberships (team_id, status);
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

CREATE TABLE member_owners (
    team_id    TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    owner_id   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT member_owners_pkey PRIMARY KEY (team_id, user_id, owner_id),
    CONSTRAINT member_owners_user_fkey FOREIGN KEY (team_id, user_id) REFERENCES memberships (team_id, user_id),
    CONSTRAINT member_owners_owner_fkey FOREIGN KEY (team_id, owner_id) REFERENCES memberships (team_id, user_id)
);

CREATE INDEX member_owners_owner_idx ON member_owners (team_id, owner_id);

CREATE TABLE codes (
    hash       BYTEA NOT NULL,
    kind       TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    team_id    TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT codes_pkey PRIMARY KEY (hash),
    CONSTRAINT codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT codes_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id)
);

CREATE INDEX codes_team_id_user_id_kind_idx ON codes (team_id, user_id, kind);
CREATE INDEX codes_user_id_idx ON codes (user_id);

CREATE TABLE sessions (
    hash          BYTEA   NOT NULL,
    user_id       TEXT    NOT NULL,
    team_id       TEXT    NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    idle_limit_us BIGINT  NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (hash),
    CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT sessions_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id)
);

CREATE INDEX sessions_user_id_team_id_idx ON sessions (user_id, team_id);
CREATE INDEX sessions_team_id_idx ON sessions (team_id);

CREATE TABLE applications (
    id          TEXT NOT NULL,
    team_id     TEXT NOT NULL,
    name        TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    secret_hash BYTEA NOT NULL,
    permissions TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT applications_pkey PRIMARY KEY (id),
    CONSTRAINT applications_client_id_key UNIQUE (client_id),
    CONSTRAINT applications_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id)
);

CREATE INDEX applications_team_id_idx ON applications (team_id);

CREATE TABLE tokens (
    hash       BYTEA NOT NULL,
    app_id     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT tokens_pkey PRIMARY KEY (hash),
    CONSTRAINT tokens_app_id_fkey FOREIGN KEY (app_id) REFERENCES applications (id) ON DELETE CASCADE
);

CREATE INDEX tokens_app_id_idx ON tokens (app_id);

CREATE TABLE projects (
    id         TEXT NOT NULL,
    team_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT projects_pkey PRIMARY KEY (id),
    CONSTRAINT projects_team_id_id_key UNIQUE (team_id, id),
    CONSTRAINT projects_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id)
);

CREATE TABLE project_members (
    project_id TEXT    NOT NULL,
    team_id    TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    role       INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT project_members_pkey PRIMARY KEY (project_id, user_id),
    CONSTRAINT project_members_project_fkey FOREIGN KEY (team_id, project_id) REFERENCES projects (team_id, id),
    CONSTRAINT project_members_member_fkey FOREIGN KEY (team_id, user_id) REFERENCES memberships (team_id, user_id)
);

CREATE INDEX project_members_member_idx ON project_members (team_id, user_id);
