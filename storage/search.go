package storage

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

// A search matches `searched` over a team's listed members. Searches of
// trigramMin characters or more may go through a trigram index of the
// searched text (issue 27, migrations 20261207000001). On SQLite it is the
// FTS5 table memberships_search, which the statements name (dialect.trigrams):
// it holds the team's listed members, each under the team's rowid times
// teamRowids plus the membership's, and matches exactly what `searched`
// matches (see the migration), so that it counts a search's matches alone;
// the pages it finds are checked against `searched` again. Searches of teams
// of at most searchScanLimit members (DB.searchScan) scan, as cheap there.
// On Postgres it is a GIN index on the expression of `searched`, which the
// planner uses when it thinks it pays; it misjudges dense searches, whose
// bitmap scan reads more than the scan (see BENCHMARKS.md), so a search
// that matches denseShare or more of a sample of the team scans, through an
// expression that the index does not serve. Shorter searches, which no
// trigram serves, scan on both.
const (
	trigramMin      = 3
	searchScanLimit = 5000
	teamRowids      = 1 << 40
	denseSample     = 1000
	denseShare      = 50 // one in 50: 2 % of the sample
)

// scanExpression is the searched text as no index serves it, with the
// statistics of its own that the search index's migration creates, so that
// Postgres knows how many rows a dense search matches: it then walks the
// list index for a page, and scans to count.
const scanExpression = "search_text || email_key || ''"

// A searchPath is how a search finds its matches.
type searchPath int

const (
	planned searchPath = iota // `searched`, as the database plans it
	fts                       // through memberships_search (SQLite)
	scanned                   // through no index (Postgres)
)

var (
	// searchKey reads what a search through memberships_search needs of
	// its team: how many members it lists, and its rowid.
	searchKey = &stmt{op: "count members", missing: "team not found", byKey: true,
		text: fixed("SELECT t.listed_members, t.rowid FROM teams AS t WHERE t.id = ?")}
	// countIndexed counts what countFound counts, through memberships_search:
	// its arguments are the FTS5 phrase and the team's range of rowids.
	countIndexed = &stmt{op: "count members", text: fixed("SELECT count(*) FROM memberships_search(?) WHERE rowid BETWEEN ? AND ?")}
	// countScanned counts what countFound counts, through no index.
	countScanned = &stmt{op: "count members", planEach: true, text: fixed("SELECT count(*) " + matching(scanned))}
	// sampleFound counts the members matching a LIKE pattern among the
	// first denseSample of the team's listed members that the database
	// reads, in no order: an order would cost a random read each.
	sampleFound = &stmt{op: "count members", text: fixed("SELECT count(*) FROM (SELECT m.search_text, m.email_key FROM memberships AS m WHERE m.team_id = ? AND " +
		listed() + " LIMIT " + strconv.Itoa(denseSample) + ") AS m WHERE " + searched)}
)

// teamSearchKey is what searchKey reads.
type teamSearchKey struct {
	Listed int   `bun:"listed_members"`
	Rowid  int64 `bun:"rowid"`
}

// matching is the FROM and WHERE of the team's listed members matching a
// LIKE pattern, found by path; through memberships_search, its phrase and
// range of rowids come first.
func matching(path searchPath) string {
	where := "m.team_id = ? AND " + listed() + " AND "
	switch path {
	case fts:
		return "FROM memberships_search(?) AS s CROSS JOIN memberships AS m ON m.rowid = s.rowid % " + strconv.Itoa(teamRowids) +
			" WHERE s.rowid BETWEEN ? AND ? AND " + where + searched
	case scanned:
		return "FROM memberships AS m WHERE " + where + `(m.search_text || m.email_key || '') LIKE ? ESCAPE '\'`
	}
	return "FROM memberships AS m WHERE " + where + searched
}

// phrase returns s lower-cased as an FTS5 string, which the trigram
// tokenizer matches as a substring; only '"' is special in it.
func phrase(s string) string {
	return `"` + strings.ReplaceAll(strings.ToLower(s), `"`, `""`) + `"`
}

// searchMembers lists a page of the team's listed members that match
// lq.Search, and counts them all. It counts first: a page past the last
// match needs no read, and through memberships_search the count chooses
// how the page is read (pageIndexed).
func (t *tx) searchMembers(ctx context.Context, teamID string, lq team.ListQuery) ([]team.Member, int, error) {
	path, key, err := t.searchPath(ctx, teamID, lq.Search)
	args := []any{teamID, containing(lq.Search)}
	count, countArgs := map[searchPath]*stmt{planned: countFound, scanned: countScanned, fts: countIndexed}[path], args
	if path == fts {
		lo := key.Rowid * teamRowids
		countArgs = []any{phrase(lq.Search), lo, lo + teamRowids - 1}
		args = slices.Concat(countArgs, args)
	}
	var total int
	if err == nil {
		total, err = one(ctx, t, count, value[int], countArgs...)
	}
	if errs.CodeOf(err) == errs.NotFound {
		return []team.Member{}, 0, nil // no such team, or a search no column holds
	}
	if err != nil || total <= lq.Page*lq.Size {
		return []team.Member{}, total, err
	}
	if path == fts && !pageIndexed(lq, total, key.Listed) {
		path, args = planned, args[3:]
	}
	page := listShape{key: lq.Sort, search: true, path: path}.list()
	ms, err := all(ctx, t, page, memberOfRow, append(args, lq.Size, lq.Page*lq.Size, teamID)...)
	return ms, total, err
}

// searchPath returns how a search of the team finds its matches, and
// through memberships_search what it needs of the team.
func (t *tx) searchPath(ctx context.Context, teamID, search string) (searchPath, *teamSearchKey, error) {
	if utf8.RuneCountInString(search) < trigramMin {
		return planned, nil, nil
	}
	if !t.db.d.trigrams() {
		n, err := one(ctx, t, sampleFound, value[int], teamID, containing(search))
		if err != nil || n*denseShare < denseSample {
			return planned, nil, err
		}
		return scanned, nil, nil
	}
	key, err := one(ctx, t, searchKey, func(k *teamSearchKey) (teamSearchKey, error) { return *k, nil }, teamID)
	if err != nil || key.Listed <= t.db.searchScan {
		return planned, nil, err
	}
	return fts, &key, nil
}

// pageIndexed reports whether a page of a search with total matches among
// listed members is read through memberships_search, which reads every
// match, rather than by walking the team's list index in order, which reads
// about listed/total members for each one up to the page's last.
func pageIndexed(lq team.ListQuery, total, listed int) bool {
	return (lq.Page+1)*lq.Size*listed > total*total
}
