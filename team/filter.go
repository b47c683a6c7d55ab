package team

import (
	"time"

	"github.com/embedid/identity/internal/errs"
)

// Attr is a member attribute a Filter compares or a MemberQuery sorts by.
type Attr int

// The attributes. Text attributes compare as their Fold says; the email
// compares as its normalized form (lower case).
const (
	AttrUserID         Attr = iota + 1 // the user ID, exactly
	AttrEmail                          // the user's normalized email
	AttrExternalID                     // exactly
	AttrGivenName                      // the team's first name
	AttrMiddleName                     // the team's middle name
	AttrFamilyName                     // the team's last name
	AttrDisplayName                    // the team's display name, or its full name when it has none
	AttrTitle                          // the team's job title
	AttrDepartment                     // the team's department
	AttrEmployeeNumber                 // the team's employee ID
	AttrManager                        // the team's manager ID, exactly
	AttrPhone                          // the phone the team records, E.164, exactly
	AttrActive                         // bool: the membership is not suspended
	AttrCreated                        // time: when the membership was created
	AttrUpdated                        // time: when the membership last changed
	AttrUserName                       // the team's login name, or the email when it has none
	attrEnd
)

// Kind is the kind of value an attribute holds.
type Kind int

// The kinds of attribute values.
const (
	KindText Kind = iota
	KindBool
	KindTime
)

// Kind returns the kind of value a holds.
func (a Attr) Kind() Kind {
	switch a {
	case AttrActive:
		return KindBool
	case AttrCreated, AttrUpdated:
		return KindTime
	}
	return KindText
}

// Fold reports whether a text attribute compares case-insensitively: ASCII
// letters match either case, other characters match exactly. The email
// compares in its normalized form instead, and IDs exactly.
func (a Attr) Fold() bool {
	switch a {
	case AttrUserName, AttrGivenName, AttrMiddleName, AttrFamilyName, AttrDisplayName, AttrTitle, AttrDepartment, AttrEmployeeNumber:
		return true
	}
	return false
}

// Op is what a Filter node does.
type Op int

// The filter operations. And and Or take two or more operands, Not one;
// Compare and Present take none. True and False match every member and
// none, as a comparison of a constant attribute compiles to.
const (
	OpCompare Op = iota + 1
	OpPresent
	OpAnd
	OpOr
	OpNot
	OpTrue
	OpFalse
)

// Cmp is a comparison operator (RFC 7644, section 3.4.2.2).
type Cmp int

// The comparison operators. Co, Sw and Ew apply to text; Gt, Ge, Lt and Le
// to times.
const (
	CmpEq Cmp = iota + 1
	CmpNe
	CmpCo
	CmpSw
	CmpEw
	CmpGt
	CmpGe
	CmpLt
	CmpLe
)

// Filter is a condition on a team's members: a tree of comparisons, as a
// SCIM filter compiles to. Value is a string, a bool or a time.Time, as
// Attr.Kind says. An absent text attribute (a user without an email, say)
// is the empty text: pr is false for it, eq "" true, and ne with any other
// value true, as RFC 7644 has ne match an absent attribute; co, sw and ew ""
// match every member. An absent time (a membership never updated) matches
// no comparison but ne, and Not of any filter matches exactly the members
// the filter does not.
type Filter struct {
	Op    Op
	Attr  Attr
	Cmp   Cmp
	Value any
	Sub   []Filter // the operands of And, Or and Not
}

// Filter limits.
const (
	MaxFilterNodes = 64  // nodes in one filter tree
	MaxFilterValue = 256 // bytes in one compared value
)

// Validate checks that f is a well-formed tree within the limits: each
// comparison's operator and value fit its attribute.
func (f *Filter) Validate() error {
	nodes := 0
	return f.validate(&nodes)
}

func (f *Filter) validate(nodes *int) error {
	if *nodes++; *nodes > MaxFilterNodes {
		return errs.New(errs.Invalid, "filter", "has more than %d terms", MaxFilterNodes)
	}
	switch f.Op {
	case OpTrue, OpFalse:
		return nil
	case OpAnd, OpOr, OpNot:
		if (f.Op == OpNot) != (len(f.Sub) == 1) || len(f.Sub) == 0 {
			return errs.New(errs.Invalid, "filter", "not takes one operand, and and or two or more")
		}
		for i := range f.Sub {
			if err := f.Sub[i].validate(nodes); err != nil {
				return err
			}
		}
		return nil
	case OpPresent:
		return f.checkAttr()
	case OpCompare:
		if err := f.checkAttr(); err != nil {
			return err
		}
		return f.checkValue()
	}
	return errs.New(errs.Invalid, "filter", "has an unknown operation %d", f.Op)
}

func (f *Filter) checkAttr() error {
	if f.Attr < AttrUserID || f.Attr >= attrEnd {
		return errs.New(errs.Invalid, "filter", "compares an unknown attribute %d", f.Attr)
	}
	return nil
}

func (f *Filter) checkValue() error {
	if f.Cmp < CmpEq || f.Cmp > CmpLe {
		return errs.New(errs.Invalid, "filter", "has an unknown comparison %d", f.Cmp)
	}
	ordered, text := f.Cmp >= CmpGt, f.Cmp >= CmpCo && f.Cmp <= CmpEw
	switch v := f.Value.(type) {
	case string:
		if f.Attr.Kind() != KindText || ordered {
			break
		}
		if len(v) > MaxFilterValue {
			return errs.New(errs.Invalid, "filter", "compares a value longer than %d bytes", MaxFilterValue)
		}
		return nil
	case bool:
		if f.Attr.Kind() == KindBool && !ordered && !text {
			return nil
		}
	case time.Time:
		if f.Attr.Kind() == KindTime && !text {
			return nil
		}
	}
	return errs.New(errs.Invalid, "filter", "cannot compare that attribute with that operator and value (%T)", f.Value)
}

// MemberQuery selects a page of a team's members that are not removed.
type MemberQuery struct {
	Filter *Filter // nil: every member
	// Sort is the attribute sorted by, then the user ID, both in the same
	// direction: AttrUserID, AttrEmail, AttrGivenName, AttrFamilyName,
	// AttrExternalID, AttrCreated, AttrUpdated or AttrUserName; 0 sorts by
	// user ID.
	Sort   Attr
	Desc   bool
	Offset int // members skipped
	Limit  int // members returned at most; 0 counts only
}

// Validate checks the query's filter, sort and paging.
func (q *MemberQuery) Validate() error {
	if q.Filter != nil {
		if err := q.Filter.Validate(); err != nil {
			return err
		}
	}
	switch q.Sort {
	case 0, AttrUserID, AttrEmail, AttrGivenName, AttrFamilyName, AttrExternalID, AttrCreated, AttrUpdated, AttrUserName:
	default:
		return errs.New(errs.Invalid, "sortBy", "cannot sort by that attribute")
	}
	return checkPage(q.Offset, q.Limit)
}

// checkPage checks a page's offset and limit (0 counts only).
func checkPage(offset, limit int) error {
	if limit < 0 || limit > MaxPageSize {
		return errs.New(errs.Invalid, "count", "must be from 0 to %d, got %d", MaxPageSize, limit)
	}
	if offset < 0 || offset > 1<<31-1 {
		return errs.New(errs.Invalid, "startIndex", "is out of range")
	}
	return nil
}
