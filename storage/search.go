package storage

import (
	"context"
	"strconv"
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
// (dialect.trigrams). It holds the team's listed members, each under the
// team's rowid times teamRowids plus the membership's, and matches exactly
// what `searched` matches (see the migration), so that it counts a search's
// matches alone; the pages it finds are checked against `searched` again.
// Shorter searches, which no trigram serves, scan the team's listed
// members, as do those of teams of at most searchScanLimit members
// (DB.searchScan), where a scan is as cheap.
const (
	trigramMin      = 3
	searchScanLimit = 5000
	teamRowids      = 1 << 40
)

var (
	// searchKey reads what a search through memberships_search needs of
	// its team: how many members it lists, and its rowid.
	searchKey = &stmt{op: "count members", missing: "team not found", byKey: true,
		text: fixed("SELECT t.listed_members, t.rowid FROM teams AS t WHERE t.id = ?")}
	// countIndexed counts what countFound counts, through memberships_search:
	// its arguments are the FTS5 phrase and the team's range of rowids.
	countIndexed = &stmt{op: "count members", text: fixed("SELECT count(*) FROM memberships_search(?) WHERE rowid BETWEEN ? AND ?")}
)

// teamSearchKey is what searchKey reads.
type teamSearchKey struct {
	Listed int   `bun:"listed_members"`
	Rowid  int64 `bun:"rowid"`
}

// matching is the FROM and WHERE of the team's listed members matching a
// LIKE pattern; with indexed, through memberships_search, whose phrase and
// range of rowids come first.
func matching(indexed bool) string {
	where := "m.team_id = ? AND " + listed() + " AND " + searched
	if indexed {
		return "FROM memberships_search(?) AS s CROSS JOIN memberships AS m ON m.rowid = s.rowid % " + strconv.Itoa(teamRowids) +
			" WHERE s.rowid BETWEEN ? AND ? AND " + where
	}
	return "FROM memberships AS m WHERE " + where
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
	key, err := t.searchKey(ctx, teamID, lq.Search)
	args := []any{teamID, containing(lq.Search)}
	var total int
	if err == nil && key != nil {
		lo := key.Rowid * teamRowids
		args = append([]any{phrase(lq.Search), lo, lo + teamRowids - 1}, args...)
		total, err = one(ctx, t, countIndexed, value[int], args[:3]...)
	} else if err == nil {
		total, err = one(ctx, t, countFound, value[int], args...)
	}
	if errs.CodeOf(err) == errs.NotFound {
		return []team.Member{}, 0, nil // no such team, or a search no column holds
	}
	if err != nil || total <= lq.Page*lq.Size {
		return []team.Member{}, total, err
	}
	indexed := key != nil && pageIndexed(lq, total, key.Listed)
	if key != nil && !indexed {
		args = args[3:]
	}
	page := listShape{key: lq.Sort, search: true, indexed: indexed}.list()
	ms, err := all(ctx, t, page, memberOfRow, append(args, lq.Size, lq.Page*lq.Size, teamID)...)
	return ms, total, err
}

// searchKey returns what a search of the team through memberships_search
// needs, or nil if the search scans instead.
func (t *tx) searchKey(ctx context.Context, teamID, search string) (*teamSearchKey, error) {
	if !t.db.d.trigrams() || utf8.RuneCountInString(search) < trigramMin {
		return nil, nil
	}
	key, err := one(ctx, t, searchKey, func(k *teamSearchKey) (teamSearchKey, error) { return *k, nil }, teamID)
	if err != nil || key.Listed <= t.db.searchScan {
		return nil, err
	}
	return &key, nil
}

// pageIndexed reports whether a page of a search with total matches among
// listed members is read through memberships_search, which reads every
// match, rather than by walking the team's list index in order, which reads
// about listed/total members for each one up to the page's last.
func pageIndexed(lq team.ListQuery, total, listed int) bool {
	return (lq.Page+1)*lq.Size*listed > total*total
}
