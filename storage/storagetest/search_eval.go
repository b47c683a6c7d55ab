package storagetest

// A reference evaluation of member filters and sorts in Go, which the
// stores' SearchMembers must agree with.

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/embedid/identity/team"
)

// attrText returns a text attribute of m, "" when absent.
func attrText(m *team.Member, a team.Attr) string {
	p := &m.Membership
	switch a {
	case team.AttrUserID:
		return m.User.ID
	case team.AttrEmail:
		return m.User.Email.Normalized
	case team.AttrExternalID:
		return p.ExternalID
	case team.AttrGivenName:
		return p.FirstName
	case team.AttrMiddleName:
		return p.MiddleName
	case team.AttrFamilyName:
		return p.LastName
	case team.AttrDisplayName:
		return cmp.Or(p.DisplayName, p.FullName())
	case team.AttrUserName:
		return cmp.Or(p.LoginName, m.User.Email.Normalized)
	case team.AttrTitle:
		return p.JobTitle
	case team.AttrDepartment:
		return p.Department
	case team.AttrEmployeeNumber:
		return p.EmployeeID
	case team.AttrManager:
		return p.ManagerID
	case team.AttrPhone:
		return p.Phone
	}
	panic("not a text attribute")
}

// attrTime returns a time attribute of m, zero when absent.
func attrTime(m *team.Member, a team.Attr) time.Time {
	if a == team.AttrCreated {
		return m.Membership.CreatedAt
	}
	return m.Membership.UpdatedAt
}

// foldASCII lower-cases the ASCII letters of s only.
func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// matches evaluates f on m as SCIM and the store's documentation say: an
// absent text is "", which pr and eq with a value other than "" reject and
// ne accepts; an absent time compares with nothing.
func matches(f *team.Filter, m *team.Member) bool {
	switch f.Op {
	case team.OpTrue:
		return true
	case team.OpFalse:
		return false
	case team.OpNot:
		return !matches(&f.Sub[0], m)
	case team.OpAnd, team.OpOr:
		for i := range f.Sub {
			if matches(&f.Sub[i], m) == (f.Op == team.OpOr) {
				return f.Op == team.OpOr
			}
		}
		return f.Op == team.OpAnd
	case team.OpPresent:
		switch f.Attr.Kind() {
		case team.KindText:
			return attrText(m, f.Attr) != ""
		case team.KindTime:
			return !attrTime(m, f.Attr).IsZero()
		}
		return true
	}
	if f.Cmp == team.CmpNe {
		eq := *f
		eq.Cmp = team.CmpEq
		return !matches(&eq, m)
	}
	switch v := f.Value.(type) {
	case bool:
		return (m.Membership.Status != team.MemberSuspended) == v
	case time.Time:
		t := attrTime(m, f.Attr)
		if t.IsZero() {
			return false
		}
		c := t.Compare(v)
		return map[team.Cmp]bool{team.CmpEq: c == 0, team.CmpGt: c > 0, team.CmpGe: c >= 0, team.CmpLt: c < 0, team.CmpLe: c <= 0}[f.Cmp]
	}
	return textMatches(f.Attr, f.Cmp, attrText(m, f.Attr), f.Value.(string))
}

func textMatches(a team.Attr, c team.Cmp, have, v string) bool {
	switch {
	case a == team.AttrEmail:
		v = strings.ToLower(strings.TrimSpace(v))
	case a.Fold():
		have, v = foldASCII(have), foldASCII(v)
	}
	switch c {
	case team.CmpEq:
		return have == v
	case team.CmpCo:
		return strings.Contains(have, v)
	case team.CmpSw:
		return strings.HasPrefix(have, v)
	}
	return strings.HasSuffix(have, v)
}

// sortKey compares members by the ascending sort of a, as the store keeps
// its keys: names and emails lower-cased, times never set first.
func sortKey(a team.Attr) func(x, y *team.Member) int {
	switch a {
	case team.AttrEmail, team.AttrGivenName, team.AttrFamilyName:
		return func(x, y *team.Member) int {
			return strings.Compare(strings.ToLower(attrText(x, a)), strings.ToLower(attrText(y, a)))
		}
	case team.AttrExternalID:
		return func(x, y *team.Member) int { return strings.Compare(attrText(x, a), attrText(y, a)) }
	case team.AttrUserName:
		return func(x, y *team.Member) int {
			return strings.Compare(foldASCII(attrText(x, a)), foldASCII(attrText(y, a)))
		}
	case team.AttrCreated, team.AttrUpdated:
		return func(x, y *team.Member) int { return attrTime(x, a).Compare(attrTime(y, a)) }
	}
	return func(*team.Member, *team.Member) int { return 0 }
}

// searched returns the members of ms that q's filter matches, in q's order,
// ties by user ID in the same direction.
func searched(ms []team.Member, q team.MemberQuery) []team.Member {
	out := []team.Member{}
	for _, m := range ms {
		if q.Filter == nil || matches(q.Filter, &m) {
			out = append(out, m)
		}
	}
	key := sortKey(q.Sort)
	slices.SortFunc(out, func(x, y team.Member) int {
		c := cmp.Or(key(&x, &y), strings.Compare(x.User.ID, y.User.ID))
		if q.Desc {
			c = -c
		}
		return c
	})
	return out
}
