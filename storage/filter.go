package storage

import (
	"strconv"
	"strings"
	"time"

	"github.com/embedid/identity/team"
)

// A condition is a member filter compiled to SQL on memberships m, joined
// with users u if users is set: a condition with ? placeholders and their
// arguments, values bound, never written into the text. Every condition is
// true or false, never NULL, so that NOT of one is its complement: an
// absent value (an email the user has not, a membership never updated)
// compares as the empty text does, or as no time does (see team.Filter).
type condition struct {
	d     dialect
	text  strings.Builder
	args  []any
	users bool
	kept  bool // its statements are kept by shape (see searchShape)
}

// compileFilter compiles a valid filter.
func compileFilter(d dialect, f *team.Filter) *condition {
	c := &condition{d: d}
	c.node(f)
	return c
}

// Constant conditions.
const (
	always = "(1 = 1)"
	never  = "(1 = 0)"
)

func (c *condition) node(f *team.Filter) {
	switch f.Op {
	case team.OpTrue:
		c.text.WriteString(always)
	case team.OpFalse:
		c.text.WriteString(never)
	case team.OpNot:
		c.text.WriteString("(NOT ")
		c.node(&f.Sub[0])
		c.text.WriteString(")")
	case team.OpAnd, team.OpOr:
		sep := " AND "
		if f.Op == team.OpOr {
			sep = " OR "
		}
		c.text.WriteString("(")
		for i := range f.Sub {
			if i > 0 {
				c.text.WriteString(sep)
			}
			c.node(&f.Sub[i])
		}
		c.text.WriteString(")")
	case team.OpPresent:
		c.text.WriteString(c.present(f.Attr))
	case team.OpCompare:
		c.compare(f)
	}
}

// attrColumn is how a filter reads an attribute: an expression, and
// whether it is NULL when absent (else the empty text).
type attrColumn struct {
	expr     string
	nullable bool
}

// column returns the expression of a, lower-cased for ASCII only if a
// folds case: SQLite's lower does that, and Postgres's under COLLATE "C".
func (c *condition) column(a team.Attr) attrColumn {
	var expr string
	switch a {
	case team.AttrEmail:
		c.users = true
		return attrColumn{"u.email_norm", true}
	case team.AttrUpdated:
		return attrColumn{"m.updated_at", true}
	case team.AttrDisplayName:
		expr = "(CASE WHEN m.display_name <> '' THEN m.display_name ELSE m.full_name END)"
	case team.AttrUserName:
		expr = userNameExpr
	default:
		expr = "m." + attrColumns()[a]
	}
	if a.Fold() {
		expr = "lower(" + expr + c.d.collate() + ")"
	}
	return attrColumn{expr: expr}
}

// userNameExpr is a member's user name: the team's login name, or the
// email when it has none. An index over the listed members holds it
// lower-cased, as column writes it.
const userNameExpr = "(CASE WHEN m.login_name <> '' THEN m.login_name ELSE m.email_key END)"

// attrColumns returns the membership column of each attribute that has
// one, by attribute.
func attrColumns() map[team.Attr]string {
	return map[team.Attr]string{
		team.AttrUserID: "user_id", team.AttrExternalID: "external_id", team.AttrGivenName: "first_name",
		team.AttrMiddleName: "middle_name", team.AttrFamilyName: "last_name", team.AttrTitle: "job_title",
		team.AttrDepartment: "department", team.AttrEmployeeNumber: "employee_id", team.AttrManager: "manager_id",
		team.AttrPhone: "phone", team.AttrCreated: "created_at", team.AttrUpdated: "updated_at",
	}
}

// present is the condition that a has a value: text that is not empty, a
// time; a bool always has one.
func (c *condition) present(a team.Attr) string {
	col := c.column(a)
	switch {
	case a.Kind() == team.KindText && col.nullable:
		return "(" + col.expr + " IS NOT NULL AND " + col.expr + " <> '')"
	case a.Kind() == team.KindText:
		return "(" + col.expr + " <> '')"
	case col.nullable:
		return "(" + col.expr + " IS NOT NULL)"
	}
	return always
}

func (c *condition) compare(f *team.Filter) {
	if f.Cmp == team.CmpNe { // SCIM's ne matches an absent value too
		eq := *f
		eq.Cmp = team.CmpEq
		c.node(&team.Filter{Op: team.OpNot, Sub: []team.Filter{eq}})
		return
	}
	switch v := f.Value.(type) {
	case bool:
		c.text.WriteString(c.active(v))
	case time.Time:
		c.text.WriteString(c.timeCompare(f.Attr, f.Cmp, v))
	case string:
		c.text.WriteString(c.textCompare(f.Attr, f.Cmp, v))
	}
}

// active is the condition that the membership is active (not suspended),
// or that it is suspended.
func (c *condition) active(is bool) string {
	op := " <> "
	if !is {
		op = " = "
	}
	return "(m.status" + op + strconv.Itoa(int(team.MemberSuspended)) + ")"
}

// timeCompare compares a time attribute with v. Stored times are whole
// microseconds, so a v between two of them compares as the earlier one
// for gt and le, and as the later one for ge and lt; eq never holds.
func (c *condition) timeCompare(a team.Attr, cmp team.Cmp, v time.Time) string {
	stored := dbTime(v)
	if !stored.Equal(v) {
		switch cmp {
		case team.CmpEq:
			return never
		case team.CmpGe:
			cmp = team.CmpGt
		case team.CmpLt:
			cmp = team.CmpLe
		}
	}
	ops := map[team.Cmp]string{team.CmpEq: " = ", team.CmpGt: " > ", team.CmpGe: " >= ", team.CmpLt: " < ", team.CmpLe: " <= "}
	return c.bound(c.column(a), ops[cmp], stored)
}

// textCompare compares a text attribute with v: eq, co, sw or ew.
func (c *condition) textCompare(a team.Attr, cmp team.Cmp, v string) string {
	if !storableText(v) { // no column holds it
		return never
	}
	switch {
	case a == team.AttrEmail:
		v = strings.ToLower(strings.TrimSpace(v))
	case a.Fold():
		v = lowerASCII(v)
	}
	switch {
	case v == "" && cmp == team.CmpEq:
		return "(NOT " + c.present(a) + ")"
	case v == "": // every text, the empty one too, holds the empty text
		return always
	}
	col := c.column(a)
	if cmp == team.CmpEq {
		return c.bound(col, " = ", v)
	}
	c.args = append(c.args, c.d.pattern(v, cmp != team.CmpSw, cmp != team.CmpEw))
	if col.nullable {
		return "(" + col.expr + " IS NOT NULL AND " + c.d.match(col.expr) + ")"
	}
	return "(" + c.d.match(col.expr) + ")"
}

// bound is the condition that col, present, compares with op to the value
// bound.
func (c *condition) bound(col attrColumn, op string, value any) string {
	c.args = append(c.args, value)
	if col.nullable {
		return "(" + col.expr + " IS NOT NULL AND " + col.expr + op + "?)"
	}
	return "(" + col.expr + op + "?)"
}

// lowerASCII returns s with its ASCII letters in lower case, and every
// other character as it is.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, x := range b {
		if 'A' <= x && x <= 'Z' {
			b[i] = x + 'a' - 'A'
		}
	}
	return string(b)
}
