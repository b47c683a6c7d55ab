-- Searches of three characters or more (issue 27) are counted, and their
-- sparse pages found, by an FTS5 trigram index of what they match, over the
-- listed (not removed) members only. Its rowid is the team's rowid times
-- 2^40 plus the membership's, so that a team's entries are one rowid range,
-- which FTS5 seeks to: a search in a small team does not read a large
-- team's matches. Its text is lower(search_text || email_key), tokenized
-- case-sensitively: both halves are lower-cased in Go already, and lower()
-- folds ASCII as LIKE does, so that a phrase of the lower-cased search
-- matches exactly the rows that the scan's LIKE matches and the count needs
-- nothing but the index. It is contentless: the text stays in memberships.
--
-- The triggers below are its one owner, in the transaction of every write
-- of memberships, whatever statement makes it: the store's single inserts,
-- its multi-row import batches, UpdateMembership (names, status) and the
-- email copies of UpdateUser. Keeping it in Go instead would need each of
-- those paths, and any added later, to write the index with the rowids
-- SQLite assigns; the triggers have them, and the index's own cost, a few
-- dozen trigrams a row, is the same either way.
--
-- Neither teams nor memberships has an INTEGER PRIMARY KEY, so VACUUM may
-- renumber their rowids, which it does only across the gaps that deleted
-- rows leave: nothing deletes either today. Whatever comes to must refill
-- the index after a VACUUM: INSERT INTO memberships_search
-- (memberships_search) VALUES ('delete-all'), then the INSERT below.

CREATE VIRTUAL TABLE memberships_search USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1'
);

INSERT INTO memberships_search (rowid, text)
SELECT t.rowid * 1099511627776 + m.rowid, lower(m.search_text || m.email_key)
FROM memberships m JOIN teams t ON t.id = m.team_id WHERE m.status <> 2;

CREATE TRIGGER memberships_search_inserted AFTER INSERT ON memberships WHEN NEW.status <> 2 BEGIN
    INSERT INTO memberships_search (rowid, text)
    SELECT t.rowid * 1099511627776 + NEW.rowid, lower(NEW.search_text || NEW.email_key) FROM teams t WHERE t.id = NEW.team_id;
END;

CREATE TRIGGER memberships_search_changed AFTER UPDATE OF search_text, email_key, status ON memberships
WHEN (OLD.status <> 2) <> (NEW.status <> 2) OR (NEW.status <> 2 AND OLD.search_text || OLD.email_key <> NEW.search_text || NEW.email_key) BEGIN
    DELETE FROM memberships_search WHERE OLD.status <> 2
        AND rowid = (SELECT t.rowid * 1099511627776 + OLD.rowid FROM teams t WHERE t.id = OLD.team_id);
    INSERT INTO memberships_search (rowid, text)
    SELECT t.rowid * 1099511627776 + NEW.rowid, lower(NEW.search_text || NEW.email_key) FROM teams t
    WHERE t.id = NEW.team_id AND NEW.status <> 2;
END;

CREATE TRIGGER memberships_search_deleted AFTER DELETE ON memberships WHEN OLD.status <> 2 BEGIN
    DELETE FROM memberships_search WHERE rowid = (SELECT t.rowid * 1099511627776 + OLD.rowid FROM teams t WHERE t.id = OLD.team_id);
END;
