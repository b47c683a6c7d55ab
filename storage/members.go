package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

// memberRow is a membership joined with its user, as the member queries
// read it.
type memberRow struct {
	membershipRow
	U userRow `bun:"embed:u__"`
}

// memberOf reads a membership and its user.
func memberOf(m *membershipRow, u *userRow) (team.Member, error) {
	usr, err := userOf(u)
	return team.Member{User: usr, Membership: membershipOf(m)}, err
}

func memberOfRow(r *memberRow) (team.Member, error) { return memberOf(&r.membershipRow, &r.U) }

// members returns a builder of a select of the memberships of team $1,
// joined with their users, that meet cond (bun formats args into it).
func members(cond string, args ...any) func(*dialect, bun.IDB) *bun.SelectQuery {
	return func(_ *dialect, db bun.IDB) *bun.SelectQuery {
		return readable[membershipRow](db.NewSelect().Model((*membershipRow)(nil))).
			Relation("U", readable[userRow]).Where("m.team_id = $1").Where(cond, args...)
	}
}

// notRemoved is the condition on the members that lists and searches show.
const notRemoved = "m.status <> ?"

var getMember = register(&prepared[memberRow]{op: "get member", missing: "member not found", byKey: true, build: members("m.user_id = $2")})

func (t *tx) Member(ctx context.Context, teamID, userID string) (team.Member, error) {
	if err := t.lockMember(ctx, teamID, userID); err != nil {
		return team.Member{}, err
	}
	return one(ctx, t, getMember, memberOfRow, teamID, userID)
}

// lockMember locks a membership and its user when t locks rows. Member reads
// them through an outer join, which Postgres cannot lock, so this takes the
// lock with an inner join first.
func (t *tx) lockMember(ctx context.Context, teamID, userID string) error {
	if !t.lock {
		return nil
	}
	var n int
	err := t.db.NewSelect().Model((*membershipRow)(nil)).ColumnExpr("1").
		Join("JOIN users AS u ON u.id = m.user_id").
		Where("m.team_id = ? AND m.user_id = ?", teamID, userID).For("NO KEY UPDATE").Scan(ctx, &n)
	return t.d.fail("lock member", err, "member not found")
}

// criteria are the conditions FindMembers adds for the criteria given, with
// the join each needs: %[1]d stands for the number of the condition's
// placeholder. A unique criterion matches one user at most.
var criteria = [...]struct {
	cond, join string
	unique     bool
	value      func(team.Criteria) string
}{
	{"u.email_norm = $%[1]d", "", true, func(c team.Criteria) string { return c.Email }},
	{"u.mobile_e164 = $%[1]d", "", true, func(c team.Criteria) string { return c.Mobile }},
	{"(u.user_name = $%[1]d OR (u.user_name = '' AND u.full_name = $%[1]d))", "", false, func(c team.Criteria) string { return c.Name }},
	{"t.domain = $%[1]d", "JOIN teams AS t ON t.id = m.team_id", false, func(c team.Criteria) string { return c.Domain }},
}

// findMembers holds a query for each set of criteria given, by the bits of
// the criteria it has. Its arguments are the team, the values of the
// criteria in their order, and the limit, which a set with a unique
// criterion neither takes nor needs: its one row at most needs no sorting,
// which SQLite would otherwise do in a temporary B-tree.
var findMembers = func() (qs [1 << len(criteria)]*prepared[memberRow]) {
	for set := range qs {
		qs[set] = register(&prepared[memberRow]{op: "find members", byKey: uniqueIn(set), build: func(d *dialect, db bun.IDB) *bun.SelectQuery {
			q := members(notRemoved, int(team.MemberRemoved))(d, db)
			n := 1
			for i, c := range criteria {
				if set&(1<<i) == 0 {
					continue
				}
				n++
				if c.join != "" {
					q = q.Join(c.join)
				}
				q = q.Where(fmt.Sprintf(c.cond, n))
			}
			if uniqueIn(set) {
				return q
			}
			// bun takes no placeholder for LIMIT; the clause follows ORDER BY.
			return q.OrderExpr(fmt.Sprintf("m.user_id%s ASC LIMIT $%d", d.collate, n+1))
		}})
	}
	return qs
}()

// uniqueIn reports whether a set of criteria has a unique one.
func uniqueIn(set int) bool {
	for i, c := range criteria {
		if c.unique && set&(1<<i) != 0 {
			return true
		}
	}
	return false
}

func (t *tx) FindMembers(ctx context.Context, teamID string, c team.Criteria, limit int) ([]team.Member, error) {
	if c.Email == "" && c.Name == "" && c.Mobile == "" {
		return nil, errs.New(errs.Invalid, "", "give an email, a name or a mobile number to find members by")
	}
	if limit < 1 {
		return nil, errs.New(errs.Invalid, "limit", "must be at least 1, got %d", limit)
	}
	set, args := 0, []any{teamID}
	for i, cr := range criteria {
		if v := cr.value(c); v != "" {
			set |= 1 << i
			args = append(args, v)
		}
	}
	if !uniqueIn(set) {
		args = append(args, limit)
	}
	return all(ctx, t, findMembers[set], memberOfRow, args...)
}

// listMembers[search][key-1] reads a page of the members of team $1 sorted
// by key, matching the LIKE pattern $2 if search is 1. Its last two
// arguments are the limit and the offset. The page is chosen from the list
// index alone, joining users only to search; then its ten or so rows are
// read whole, so OFFSET skips index entries, not joined rows.
var listMembers = func() (qs [2][len(sortColumns) * 2]*prepared[memberRow]) {
	for search := range qs {
		for k := range qs[search] {
			key := team.SortKey(k + 1)
			qs[search][k] = register(&prepared[memberRow]{op: "list members", planEach: search == 1, build: func(d *dialect, db bun.IDB) *bun.SelectQuery {
				page := db.NewSelect().Model((*membershipRow)(nil)).Column("m.user_id").
					Where("m.team_id = $1").Where(notRemoved, int(team.MemberRemoved))
				n := 1
				if search == 1 {
					n++
					page = page.Join("JOIN users AS u ON u.id = m.user_id").Where(fmt.Sprintf(`u.search_text LIKE $%d ESCAPE '\'`, n))
				}
				// bun takes no placeholders for LIMIT and OFFSET; they follow ORDER BY.
				page = page.OrderExpr(fmt.Sprintf("%s LIMIT $%d OFFSET $%d", d.orderBy(key), n+1, n+2))
				return members("m.user_id IN (?)", page)(d, db).OrderExpr(d.orderBy(key))
			}})
		}
	}
	return qs
}()

var (
	// countListed is the count of listed members a team keeps (see the
	// list_keys migration).
	countListed = register(&prepared[int64]{op: "count members", missing: "team not found", byKey: true, build: func(_ *dialect, db bun.IDB) *bun.SelectQuery {
		return db.NewSelect().Model((*teamRow)(nil)).Column("listed_members").Where("t.id = $1")
	}})
	// countFound counts the listed members of team $1 matching the LIKE
	// pattern $2.
	countFound = register(&prepared[int64]{op: "count members", planEach: true, build: func(_ *dialect, db bun.IDB) *bun.SelectQuery {
		return db.NewSelect().Model((*membershipRow)(nil)).ColumnExpr("count(*)").
			Join("JOIN users AS u ON u.id = m.user_id").
			Where("m.team_id = $1").Where(notRemoved, int(team.MemberRemoved)).
			Where(`u.search_text LIKE $2 ESCAPE '\'`)
	}})
)

func (t *tx) ListMembers(ctx context.Context, teamID string, lq team.ListQuery) ([]team.Member, int, error) {
	if err := lq.Validate(); err != nil {
		return nil, 0, err
	}
	page, count, args := listMembers[0][lq.Sort-1], countListed, []any{teamID}
	if lq.Search != "" {
		page, count, args = listMembers[1][lq.Sort-1], countFound, append(args, containing(lq.Search))
	}
	ms, err := all(ctx, t, page, memberOfRow, append(args, lq.Size, lq.Page*lq.Size)...)
	if err != nil {
		return nil, 0, err
	}
	total, err := one(ctx, t, count, func(n *int64) (int, error) { return int(*n), nil }, args...)
	if errs.CodeOf(err) == errs.NotFound {
		return ms, 0, nil // no such team, so no members
	}
	return ms, total, err
}

// likeEscaper escapes the LIKE wildcards and the escape character itself.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// containing returns a LIKE pattern, with '\' as its escape character, that
// matches text containing s lower-cased.
func containing(s string) string {
	return "%" + likeEscaper.Replace(strings.ToLower(s)) + "%"
}

// sortColumns holds, for each pair of sort keys (ascending, descending), the
// column of memberships sorted on; each has an index with the team before it
// and the user ID after it.
var sortColumns = [...]string{"m.first_name_key", "m.last_name_key", "m.email_key", "m.role", "m.signup_at"}

// orderBy returns the ORDER BY terms of a valid sort key: its column, then
// the user ID, both in the key's direction, so that an index serves it.
// Text keys sort by bytes on both dialects (their Postgres columns are
// COLLATE "C").
func (d *dialect) orderBy(k team.SortKey) string {
	dir := " ASC"
	if k%2 == 0 {
		dir = " DESC"
	}
	return sortColumns[(k-1)/2] + dir + ", m.user_id" + dir
}
