-- Searches of three characters or more (issue 27) are served by an FTS5
-- trigram index of what they match, search_text || email_key, keyed by the
-- memberships' rowids. It is contentless: the text stays in memberships,
-- which the search joins to check the team, the status and the LIKE itself
-- (the trigram tokenizer folds case beyond ASCII, so the index may answer a
-- superset of the LIKE's rows, never fewer).
--
-- The triggers below are its one owner, in the transaction of every write
-- of memberships, whatever statement makes it: the store's single inserts,
-- its multi-row import batches, UpdateMembership and the email copies of
-- UpdateUser. Keeping it in Go instead would need each of those paths (and
-- any added later) to write the index with the rowids SQLite assigns; the
-- trigger already has them, and the index's own cost, a few dozen trigrams
-- a row, is the same either way.
--
-- memberships has no INTEGER PRIMARY KEY, so VACUUM may renumber its rowids,
-- which it does only across the gaps that deleted rows leave: nothing
-- deletes memberships today. Whatever comes to must run, after a VACUUM,
-- the two statements below that fill the index, after
-- INSERT INTO memberships_search(memberships_search) VALUES ('delete-all').

CREATE VIRTUAL TABLE memberships_search USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'trigram'
);

INSERT INTO memberships_search (rowid, text)
SELECT rowid, search_text || email_key FROM memberships;

CREATE TRIGGER memberships_search_inserted AFTER INSERT ON memberships BEGIN
    INSERT INTO memberships_search (rowid, text) VALUES (NEW.rowid, NEW.search_text || NEW.email_key);
END;

CREATE TRIGGER memberships_search_changed AFTER UPDATE OF search_text, email_key ON memberships
WHEN OLD.search_text || OLD.email_key <> NEW.search_text || NEW.email_key BEGIN
    DELETE FROM memberships_search WHERE rowid = OLD.rowid;
    INSERT INTO memberships_search (rowid, text) VALUES (NEW.rowid, NEW.search_text || NEW.email_key);
END;

CREATE TRIGGER memberships_search_deleted AFTER DELETE ON memberships BEGIN
    DELETE FROM memberships_search WHERE rowid = OLD.rowid;
END;
