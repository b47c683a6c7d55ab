-- Failed attempts at a secret (a login, a client secret), counted per key
-- and client address within a window, for lockout. The key is a hash, so no
-- email address or client ID is kept here.

CREATE TABLE failures (
    key          TEXT    NOT NULL,
    address      TEXT    NOT NULL,
    count        INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    CONSTRAINT failures_pkey PRIMARY KEY (key, address)
);

CREATE INDEX failures_window_start_idx ON failures (window_start);
