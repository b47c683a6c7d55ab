-- The outbox (issue 23): a code to send is written here in the transaction
-- of the data it belongs to, and handed to the host's notifier only after
-- that commits; a delivered row is deleted, so the code in clear lives only
-- until it is delivered or expires. next_at is when a row is next due: its
-- creation, the end of a delivery's lease, or of a back-off after a failure.
-- No foreign keys: a row belongs to no use case's reads, and the import
-- writes it beside the users it names. The IDs of a batch are its ID and a
-- counter, so that an import's rows append to every index; next_at, which
-- each claim changes, is in one index only.
CREATE TABLE outbox (
    id         TEXT NOT NULL,
    batch      TEXT NOT NULL,
    team_id    TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    code       TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    next_at    TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT outbox_pkey PRIMARY KEY (id)
);

CREATE INDEX outbox_next_at_idx ON outbox (next_at);
CREATE INDEX outbox_batch_idx ON outbox (batch);
CREATE INDEX outbox_expires_at_idx ON outbox (expires_at);
