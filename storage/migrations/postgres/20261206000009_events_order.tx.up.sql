-- Event IDs follow commit order (issue 23). An identity column hands out
-- values in the order of the inserts, not of the commits, so a reader of
-- the events after a cursor could miss one with a smaller ID that commits
-- later. Every insert into events first takes a transaction-level advisory
-- lock, held to commit, in a statement trigger that fires before any row's
-- ID is drawn: appends and commits of event-writing transactions take
-- turns. In the schema, it costs no round trip and no writer can forget it.
CREATE FUNCTION events_in_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(2023120623);
    RETURN NULL;
END
$$;

CREATE TRIGGER events_in_commit_order BEFORE INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_in_commit_order();

-- Pruning walks the oldest events by ID, which the primary key serves:
-- one index fewer for every append to write.
DROP INDEX events_at_idx;
