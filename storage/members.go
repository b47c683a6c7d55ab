package storage

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

// memberRow is a membership joined with its user, as the member queries
// read it.
type memberRow struct {
	bun.BaseModel `bun:"table:memberships,alias:m"`

	membershipRow
	U userRow `bun:"embed:u__"`
}

func memberOfRow(r *memberRow) (team.Member, error) {
	usr, err1 := userOf(&r.U)
	m, err2 := membershipOf(&r.membershipRow)
	return team.Member{User: usr, Membership: m}, errors.Join(err1, err2)
}

// membersFrom is the FROM clause of the member reads: memberships joined
// with their users.
const membersFrom = "FROM memberships AS m LEFT JOIN users AS u ON u.id = m.user_id "

var (
	getMember = &stmt{
		op: "get member", missing: "member not found", byKey: true, row: reflect.TypeFor[memberRow](),
		text: fixed(membersFrom + "WHERE m.team_id = ? AND m.user_id = ?"),
	}
	// lockMember locks a membership and its user. Member reads them through
	// an outer join, which Postgres cannot lock, so this takes the lock with
	// an inner join first.
	lockMember = &stmt{
		op: "lock member", missing: "member not found", locks: true,
		text: fixed("SELECT 1 FROM memberships AS m JOIN users AS u ON u.id = m.user_id WHERE m.team_id = ? AND m.user_id = ?"),
	}
	// countListed is the count of listed members a team keeps (see the
	// list_keys migration).
	countListed = &stmt{op: "count members", missing: "team not found", byKey: true, text: fixed("SELECT t.listed_members FROM teams AS t WHERE t.id = ?")}
	// countFound counts the listed members of a team matching a LIKE
	// pattern.
	countFound = &stmt{op: "count members", planEach: true, text: fixed("SELECT count(*) " + matching(planned))}
)

// searched is the condition that a member's lower-cased "full name\nemail"
// matches a LIKE pattern.
const searched = `(m.search_text || m.email_key) LIKE ? ESCAPE '\'`

// listed is the condition on the members that lists and searches show,
// written out so that the list indexes, which leave removed members out,
// serve it.
func listed() string { return "m.status <> " + strconv.Itoa(int(team.MemberRemoved)) }

func (t *tx) Member(ctx context.Context, teamID, userID string) (team.Member, error) {
	if t.lock {
		if _, err := one(ctx, t, lockMember, value[int], teamID, userID); err != nil {
			return team.Member{}, err
		}
	}
	return one(ctx, t, getMember, memberOfRow, teamID, userID)
}

// criterion is a condition FindMembers adds for one criterion given, with
// the join it needs. A unique criterion matches one user at most.
type criterion struct {
	cond, join string
	uses       int // placeholders in cond, each bound to the criterion's value
	unique     bool
	value      func(team.Criteria) string
}

// criteria returns the criteria of FindMembers, in the order of their bits;
// a function, so that no package-level table can be changed.
func criteria() [4]criterion {
	return [...]criterion{
		{"u.email_norm = ?", "", 1, true, func(c team.Criteria) string { return c.Email }},
		{"u.mobile_e164 = ?", "", 1, true, func(c team.Criteria) string { return c.Mobile }},
		{"(u.user_name = ? OR (u.user_name = '' AND m.full_name = ?))", "", 2, false, func(c team.Criteria) string { return c.Name }},
		{"t.domain = ?", "JOIN teams AS t ON t.id = m.team_id ", 1, false, func(c team.Criteria) string { return c.Domain }},
	}
}

// findShape is the set of criteria a find has, by their bits.
type findShape int

// unique reports whether a set of criteria has a unique one, which matches
// one row at most: it needs no sorting, which SQLite would otherwise do in
// a temporary B-tree, and no limit.
func (set findShape) unique() bool {
	for i, c := range criteria() {
		if c.unique && set&(1<<i) != 0 {
			return true
		}
	}
	return false
}

// find declares the find of members by the set of criteria. Its arguments
// are the team, the values of the criteria in their order, and the limit
// unless the set is unique.
func (set findShape) find() *stmt {
	return &stmt{op: "find members", byKey: set.unique(), row: reflect.TypeFor[memberRow](), shape: set, text: func(db *DB) string {
		var join, where strings.Builder
		for i, c := range criteria() {
			if set&(1<<i) != 0 {
				join.WriteString(c.join)
				where.WriteString(" AND " + c.cond)
			}
		}
		text := membersFrom + join.String() + "WHERE m.team_id = ? AND " + listed() + where.String()
		if set.unique() {
			return text
		}
		return text + " ORDER BY m.user_id" + db.d.collate() + " ASC LIMIT ?"
	}}
}

func (t *tx) FindMembers(ctx context.Context, teamID string, c team.Criteria, limit int) ([]team.Member, error) {
	if c.Email == "" && c.Name == "" && c.Mobile == "" {
		return nil, errs.New(errs.Invalid, "", "give an email, a name or a mobile number to find members by")
	}
	if limit < 1 {
		return nil, errs.New(errs.Invalid, "limit", "must be at least 1, got %d", limit)
	}
	set, args := findShape(0), []any{teamID}
	for i, cr := range criteria() {
		if v := cr.value(c); v != "" {
			set |= 1 << i
			for range cr.uses {
				args = append(args, v)
			}
		}
	}
	if !set.unique() {
		args = append(args, limit)
	}
	return all(ctx, t, set.find(), memberOfRow, args...)
}

// listShape is the shape of a list: its sort key, whether it searches, and
// how it finds the matches (search.go).
type listShape struct {
	key    team.SortKey
	search bool
	path   searchPath
}

// list declares the read of a page of a team's members sorted by the key,
// matching a LIKE pattern if it searches. Its arguments are the FTS5 phrase
// and range of rowids if through memberships_search, the team, the pattern
// if any, the limit, the offset and the team. The page is chosen from the
// list index and memberships alone (or memberships_search), which hold what
// searches match; then its ten or so rows are read whole, so OFFSET skips
// index entries, not joined rows.
func (l listShape) list() *stmt {
	return &stmt{op: "list members", planEach: l.search && l.path != fts, row: reflect.TypeFor[memberRow](), shape: l, text: func(db *DB) string {
		page := "SELECT m.user_id FROM memberships AS m WHERE m.team_id = ? AND " + listed()
		if l.search {
			page = "SELECT m.user_id " + matching(l.path)
		}
		page += " ORDER BY " + orderBy(l.key) + " LIMIT ? OFFSET ?"
		return membersFrom + "WHERE m.user_id IN (" + page + ") AND m.team_id = ? ORDER BY " + orderBy(l.key)
	}}
}

func (t *tx) ListMembers(ctx context.Context, teamID string, lq team.ListQuery) ([]team.Member, int, error) {
	if err := lq.Validate(); err != nil {
		return nil, 0, err
	}
	if lq.Search != "" {
		return t.searchMembers(ctx, teamID, lq) // search.go
	}
	page := listShape{key: lq.Sort}.list()
	ms, err := all(ctx, t, page, memberOfRow, teamID, lq.Size, lq.Page*lq.Size, teamID)
	if err != nil {
		return nil, 0, err
	}
	total, err := one(ctx, t, countListed, value[int], teamID)
	if errs.CodeOf(err) == errs.NotFound {
		return ms, 0, nil // no such team, so no members
	}
	return ms, total, err
}

// containing returns a LIKE pattern, with '\' as its escape character, that
// matches text containing s lower-cased.
func containing(s string) string {
	return wildcards(escapeLike(strings.ToLower(s)), "%", true, true)
}

// escapeLike makes LIKE's special characters in s literal, with '\' as
// the escape character.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// wildcards returns the escaped pattern with the wildcard that matches any
// text before it, after it, or both.
func wildcards(escaped, wild string, before, after bool) string {
	if before {
		escaped = wild + escaped
	}
	if after {
		escaped += wild
	}
	return escaped
}

// sortColumns returns, for each pair of sort keys (ascending, descending), the
// column of memberships sorted on; each has an index with the team before it
// and the user ID after it.
func sortColumns() [5]string {
	return [...]string{"m.first_name_key", "m.last_name_key", "m.email_key", "m.role", "m.signup_at"}
}

// orderBy returns the ORDER BY terms of a valid sort key: its column, then
// the user ID, both in the key's direction, so that an index serves it.
// Text keys sort by bytes on both dialects (their Postgres columns are
// COLLATE "C").
func orderBy(k team.SortKey) string {
	dir := " ASC"
	if k%2 == 0 {
		dir = " DESC"
	}
	return sortColumns()[(k-1)/2] + dir + ", m.user_id" + dir
}
