package storage

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

// A search matches `searched` over a team's listed members. Searches of
// trigramMin characters or more may go through a trigram index of the
// searched text (issue 27, migrations 20261207000001): on Postgres a GIN
// index that the planner picks for itself, so the statements are the same;
// on SQLite the FTS5 table memberships_search, which the statements name
// (dialect.trigrams). Shorter searches, which no trigram serves, scan the
// team's listed members, as do those of teams of at most searchScanLimit
// members (DB.searchScan): the FTS5 index is global, so what it reads grows with the
// matches in every team. Either way the rows, order and total are those of
// the scan: the index only finds candidates, which the scan's condition
// checks again.
const (
	trigramMin      = 3
	searchScanLimit = 5000
)

// countIndexed counts what countFound counts, through memberships_search.
var countIndexed = &stmt{op: "count members", text: fixed("SELECT count(*) " + matching(true))}

// matching is the FROM and WHERE of the team's listed members matching a
// LIKE pattern; with indexed, through memberships_search, whose MATCH
// argument comes first.
func matching(indexed bool) string {
	where := "WHERE m.team_id = ? AND " + listed() + " AND " + searched
	if indexed {
		return "FROM memberships_search(?) AS s CROSS JOIN memberships AS m ON m.rowid = s.rowid " + where
	}
	return "FROM memberships AS m " + where
}

// phrase returns s lower-cased as an FTS5 string, which the trigram
// tokenizer matches as a substring; only '"' is special in it.
func phrase(s string) string {
	return `"` + strings.ReplaceAll(strings.ToLower(s), `"`, `""`) + `"`
}

// searchMembers lists a page of the team's listed members that match
// lq.Search, and counts them all. It counts first: a page past the last
// match needs no read, and through the index the count chooses how the
// page is read (pageIndexed).
func (t *tx) searchMembers(ctx context.Context, teamID string, lq team.ListQuery) ([]team.Member, int, error) {
	indexed, listed, err := t.searchIndexed(ctx, teamID, lq.Search)
	args := []any{teamID, containing(lq.Search)}
	count := countFound
	if indexed {
		count, args = countIndexed, append([]any{phrase(lq.Search)}, args...)
	}
	total := 0
	if err == nil {
		total, err = one(ctx, t, count, value[int], args...)
	}
	if errs.CodeOf(err) == errs.NotFound {
		return []team.Member{}, 0, nil // no such team, or a search no column holds
	}
	if err != nil || total <= lq.Page*lq.Size {
		return []team.Member{}, total, err
	}
	if indexed && !pageIndexed(lq, total, listed) {
		indexed, args = false, args[1:]
	}
	page := listShape{key: lq.Sort, search: true, indexed: indexed}.list()
	ms, err := all(ctx, t, page, memberOfRow, append(args, lq.Size, lq.Page*lq.Size, teamID)...)
	return ms, total, err
}

// searchIndexed reports whether a search of the team goes through
// memberships_search, and if so how many members the team lists.
func (t *tx) searchIndexed(ctx context.Context, teamID, search string) (bool, int, error) {
	if !t.db.d.trigrams() || utf8.RuneCountInString(search) < trigramMin {
		return false, 0, nil
	}
	listed, err := one(ctx, t, countListed, value[int], teamID)
	return err == nil && listed > t.db.searchScan, listed, err
}

// pageIndexed reports whether a page of a search with total matches among
// listed members is read through memberships_search, which reads every
// match, rather than by walking the team's list index in order, which reads
// about listed/total members for each one up to the page's last.
func pageIndexed(lq team.ListQuery, total, listed int) bool {
	return (lq.Page+1)*lq.Size*listed > total*total
}
