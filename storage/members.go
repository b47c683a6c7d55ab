package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

// memberOf reads a membership joined with its user.
func memberOf(r *membershipRow) (team.Member, error) {
	u, err := userOf(r.U)
	return team.Member{User: u, Membership: membershipOf(r)}, err
}

// members selects the memberships of a team joined with their users.
func members(teamID string) filter {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Relation("U").Where("m.team_id = ?", teamID)
	}
}

// listed selects the members of a team that are not removed.
func listed(teamID string) filter {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Apply(members(teamID)).Where("m.status <> ?", int(team.MemberRemoved))
	}
}

func (t *tx) Member(ctx context.Context, teamID, userID string) (team.Member, error) {
	if err := t.lockMember(ctx, teamID, userID); err != nil {
		return team.Member{}, err
	}
	return selectOne(ctx, t, "get member", "member not found", memberOf, func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Apply(members(teamID)).Where("m.user_id = ?", userID)
	})
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

func (t *tx) FindMembers(ctx context.Context, teamID string, c team.Criteria, limit int) ([]team.Member, error) {
	if c.Email == "" && c.Name == "" && c.Mobile == "" {
		return nil, errs.New(errs.Invalid, "", "give an email, a name or a mobile number to find members by")
	}
	if limit < 1 {
		return nil, errs.New(errs.Invalid, "limit", "must be at least 1, got %d", limit)
	}
	return selectAll(ctx, t, "find members", memberOf, func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Apply(listed(teamID))
		if c.Email != "" {
			q = q.Where("u.email_norm = ?", c.Email)
		}
		if c.Mobile != "" {
			q = q.Where("u.mobile_e164 = ?", c.Mobile)
		}
		if c.Name != "" {
			q = q.Where("(u.user_name = ? OR (u.user_name = '' AND u.full_name = ?))", c.Name, c.Name)
		}
		if c.Domain != "" {
			q = q.Join("JOIN teams AS t ON t.id = m.team_id").Where("t.domain = ?", c.Domain)
		}
		return q.OrderExpr("m.user_id" + t.d.collate + " ASC").Limit(int64(limit))
	})
}

func (t *tx) ListMembers(ctx context.Context, teamID string, lq team.ListQuery) ([]team.Member, int, error) {
	if err := lq.Validate(); err != nil {
		return nil, 0, err
	}
	// The page is chosen from the list index alone, joining users only to
	// search; then its ten or so rows are read whole. OFFSET thus skips
	// index entries, not joined rows.
	page := t.db.NewSelect().Model((*membershipRow)(nil)).Column("m.user_id").
		Where("m.team_id = ? AND m.status <> ?", teamID, int(team.MemberRemoved))
	if lq.Search != "" {
		page = page.Join("JOIN users AS u ON u.id = m.user_id").Where(`u.search_text LIKE ? ESCAPE '\'`, containing(lq.Search))
	}
	page = page.OrderExpr(t.d.orderBy(lq.Sort)).Limit(int64(lq.Size)).Offset(int64(lq.Page) * int64(lq.Size))
	var rows []membershipRow
	err := t.db.NewSelect().Model(&rows).Apply(members(teamID)).Where("m.user_id IN (?)", page).
		OrderExpr(t.d.orderBy(lq.Sort)).Scan(ctx)
	if err != nil {
		return nil, 0, t.d.fail("list members", err, "")
	}
	total, err := t.countListed(ctx, teamID, lq.Search)
	if err != nil {
		return nil, 0, err
	}
	ms, err := convertAll(rows, memberOf)
	return ms, total, err
}

// countListed counts a team's listed members that match search: without
// one, from the count the team keeps (see the list_keys migration).
func (t *tx) countListed(ctx context.Context, teamID, search string) (int, error) {
	var n int64
	var err error
	if search == "" {
		err = t.db.NewSelect().Model((*teamRow)(nil)).Column("listed_members").Where("t.id = ?", teamID).Scan(ctx, &n)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
	} else {
		n, err = t.db.NewSelect().Model((*membershipRow)(nil)).Apply(listed(teamID)).
			Where(`u.search_text LIKE ? ESCAPE '\'`, containing(search)).Count(ctx)
	}
	return int(n), t.d.fail("count members", err, "")
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
