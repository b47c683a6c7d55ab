package storage

import (
	"context"
	"reflect"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

// searchShape is the shape of a search: its order, and its filter's
// condition if the store keeps its statements. It keeps those of searches
// without a filter, and with a filter of one eq comparison, SCIM's lookups
// (userName, externalId, emails eq): few, at most one per attribute and
// order. Any other filter's shapes are unbounded, so its statements are
// built for their run and run unprepared (on Postgres, pgx keeps the last
// few hundred texts of each connection prepared: bounded too).
type searchShape struct {
	sort  team.Attr
	desc  bool
	where string
}

// keeps reports whether the store keeps the statements of a search with
// filter f.
func keeps(f *team.Filter) bool { return f.Op == team.OpCompare && f.Cmp == team.CmpEq }

// searchPage declares the read of a page of a team's listed members
// matching where, if not nil, in the order of shape. Its arguments are the
// team, where's, the limit, the offset and the team again. As with a list,
// the page's user IDs are chosen first, then its rows read whole.
func searchPage(shape searchShape, where *condition) *stmt {
	return &stmt{op: "search members", row: reflect.TypeFor[memberRow](), shape: shape, adhoc: where != nil && !where.kept, text: func(db *DB) string {
		order := searchOrder(db.d, shape)
		page := "SELECT m.user_id " + searchFrom(where) + " ORDER BY " + order + " LIMIT ? OFFSET ?"
		return membersFrom + "WHERE m.user_id IN (" + page + ") AND m.team_id = ? ORDER BY " + order
	}}
}

// searchCount is the shape of the count of a search whose filter's
// condition the store keeps.
type searchCount string

// searchFrom is the FROM and WHERE clauses of the team's listed members
// that match where, if not nil.
func searchFrom(where *condition) string {
	from := "FROM memberships AS m "
	if where == nil {
		return from + "WHERE m.team_id = ? AND " + listed()
	}
	if where.users {
		from += "JOIN users AS u ON u.id = m.user_id "
	}
	return from + "WHERE m.team_id = ? AND " + listed() + " AND " + where.text.String()
}

// searchColumns returns the column of memberships that each sort attribute
// but the user name sorts on (see searchOrder). The text ones sort by bytes
// (COLLATE "C" on Postgres); each but the times has an index over the
// listed members that serves its order.
func searchColumns() map[team.Attr]string {
	return map[team.Attr]string{
		team.AttrUserID: "m.user_id", team.AttrEmail: "m.email_key",
		team.AttrGivenName: "m.first_name_key", team.AttrFamilyName: "m.last_name_key",
		team.AttrExternalID: "m.external_id", team.AttrCreated: "m.created_at", team.AttrUpdated: "m.updated_at",
	}
}

// searchOrder returns the ORDER BY terms of a search: its column, then the
// user ID, as the list indexes hold it, both in its direction. A
// membership never updated sorts first, as if updated before all others.
func searchOrder(d dialect, shape searchShape) string {
	dir, nulls := " ASC", " NULLS FIRST"
	if shape.desc {
		dir, nulls = " DESC", " NULLS LAST"
	}
	col := searchColumns()[shape.sort]
	if shape.sort == team.AttrUserName { // as its index holds it
		col = "lower(" + userNameExpr + d.collate() + ")"
	}
	col += dir
	if shape.sort == team.AttrUpdated {
		col += nulls
	}
	if shape.sort == team.AttrUserID {
		return col
	}
	return col + ", m.user_id" + dir
}

func (t *tx) SearchMembers(ctx context.Context, teamID string, q team.MemberQuery) ([]team.Member, int, error) {
	if err := q.Validate(); err != nil {
		return nil, 0, err
	}
	var where *condition
	args := []any{teamID}
	shape := searchShape{sort: q.Sort, desc: q.Desc}
	if shape.sort == 0 {
		shape.sort = team.AttrUserID
	}
	if q.Filter != nil && q.Filter.Op != team.OpTrue {
		where = compileFilter(t.db.d, q.Filter)
		args = append(args, where.args...)
		if where.kept = keeps(q.Filter); where.kept {
			shape.where = where.text.String()
		}
	}
	ms := []team.Member{}
	if q.Limit > 0 {
		var err error
		page := searchPage(shape, where)
		ms, err = all(ctx, t, page, memberOfRow, append(args[:len(args):len(args)], q.Limit, q.Offset, teamID)...)
		if err != nil {
			return nil, 0, err
		}
		if len(ms) > 0 && len(ms) < q.Limit { // the last page: no need to count
			return ms, q.Offset + len(ms), nil
		}
	}
	total, err := t.countSearch(ctx, where, args)
	return ms, total, err
}

// countSearch counts the team's listed members that match where: every
// listed member, as the team keeps their number, if where is nil.
func (t *tx) countSearch(ctx context.Context, where *condition, args []any) (int, error) {
	count := countListed
	if where != nil {
		count = &stmt{op: "count members", shape: searchCount(where.text.String()), adhoc: !where.kept, text: fixed("SELECT count(*) " + searchFrom(where))}
	}
	total, err := one(ctx, t, count, value[int], args...)
	if errs.CodeOf(err) == errs.NotFound {
		return 0, nil // no such team, so no members
	}
	return total, err
}
