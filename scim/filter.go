package scim

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	filter "github.com/scim2/filter-parser/v2"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// filterAttr is a User attribute a filter compares: a member attribute
// of the store, or a value every member has, which compiles to true or
// false in Go.
type filterAttr struct {
	schema string    // the URN that may qualify it
	attr   team.Attr // 0 for a constant
	konst  any       // the constant: a string, or true
	phone  bool      // phoneNumbers.type: "mobile" where a phone is set
}

func core(a team.Attr) filterAttr       { return filterAttr{schema: urnUser, attr: a} }
func enterprise(a team.Attr) filterAttr { return filterAttr{schema: urnEnterprise, attr: a} }
func constant(v any) filterAttr         { return filterAttr{schema: urnUser, konst: v} }

// lowerName returns the attribute and sub-attribute p names, in lower case.
func lowerName(p filter.AttributePath) string {
	name := p.AttributeName
	if p.SubAttribute != nil {
		name += "." + *p.SubAttribute
	}
	return strings.ToLower(name)
}

// userFilterAttrs are the User attributes filters compare, by lower-case
// path; a multi-valued attribute alone stands for its value.
var userFilterAttrs = map[string]filterAttr{
	"id":                 core(team.AttrUserID),
	"externalid":         core(team.AttrExternalID),
	"username":           core(team.AttrUserName),
	"emails":             core(team.AttrEmail),
	"emails.value":       core(team.AttrEmail),
	"emails.type":        constant("work"),
	"emails.primary":     constant(true),
	"name.givenname":     core(team.AttrGivenName),
	"name.middlename":    core(team.AttrMiddleName),
	"name.familyname":    core(team.AttrFamilyName),
	"displayname":        core(team.AttrDisplayName),
	"title":              core(team.AttrTitle),
	"phonenumbers":       core(team.AttrPhone),
	"phonenumbers.value": core(team.AttrPhone),
	"phonenumbers.type":  {schema: urnUser, phone: true},
	"active":             core(team.AttrActive),
	"meta.created":       core(team.AttrCreated),
	"meta.lastmodified":  core(team.AttrUpdated),
	"employeenumber":     enterprise(team.AttrEmployeeNumber),
	"department":         enterprise(team.AttrDepartment),
	"manager":            enterprise(team.AttrManager),
	"manager.value":      enterprise(team.AttrManager),
}

// userFilterAttr returns the filter attribute p names.
func userFilterAttr(p filter.AttributePath) (filterAttr, bool) {
	f, ok := userFilterAttrs[lowerName(p)]
	if uri := p.URI(); ok && uri != "" && !strings.EqualFold(uri, f.schema) {
		return filterAttr{}, false
	}
	return f, ok
}

// cmps are the store's comparisons of the filter operators.
var cmps = map[filter.CompareOperator]team.Cmp{
	filter.EQ: team.CmpEq, filter.NE: team.CmpNe, filter.CO: team.CmpCo, filter.SW: team.CmpSw,
	filter.EW: team.CmpEw, filter.GT: team.CmpGt, filter.GE: team.CmpGe, filter.LT: team.CmpLt, filter.LE: team.CmpLe,
}

// parseFilter parses a filter parameter.
func parseFilter(s string) (filter.Expression, error) {
	if len(s) > maxFilterBytes {
		return nil, badRequest(typeTooMany, "filter", "is longer than %d bytes", maxFilterBytes)
	}
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return nil, badRequest(typeInvalidFilter, "filter", "must be UTF-8 text without NUL characters")
	}
	e, err := filter.ParseFilter([]byte(s))
	if err != nil {
		return nil, badRequest(typeInvalidFilter, "filter", "is not a valid SCIM filter (RFC 7644 section 3.4.2.2)")
	}
	return e, nil
}

// userFilter compiles a filter of Users to a filter of the store.
func userFilter(s string) (*team.Filter, error) {
	e, err := parseFilter(s)
	if err != nil {
		return nil, err
	}
	f, err := translate(e, "")
	if err != nil {
		return nil, err
	}
	if n := nodes(f); n > team.MaxFilterNodes {
		return nil, badRequest(typeTooMany, "filter", "has %d terms; the limit is %d", n, team.MaxFilterNodes)
	}
	if err := f.Validate(); err != nil {
		return nil, badRequest(typeInvalidFilter, "filter", "%s", strings.TrimPrefix(identity.ErrorMessage(err), "filter: "))
	}
	return &f, nil
}

func nodes(f team.Filter) int {
	n := 1
	for _, s := range f.Sub {
		n += nodes(s)
	}
	return n
}

// translate compiles e; prefix is the attribute a value filter is on,
// with a dot, or "".
func translate(e filter.Expression, prefix string) (team.Filter, error) {
	switch x := e.(type) {
	case *filter.AttributeExpression:
		return term(x, prefix)
	case *filter.NotExpression:
		sub, err := translate(x.Expression, prefix)
		return team.Filter{Op: team.OpNot, Sub: []team.Filter{sub}}, err
	case *filter.LogicalExpression:
		return logical(x, prefix)
	case *filter.ValuePath:
		return valuePath(x, prefix)
	}
	return team.Filter{}, badRequest(typeInvalidFilter, "filter", "has an expression this server does not know")
}

// logical compiles and and or, joining nested terms of the same operator.
func logical(x *filter.LogicalExpression, prefix string) (team.Filter, error) {
	op := team.OpOr
	if x.Operator == filter.AND {
		op = team.OpAnd
	}
	f := team.Filter{Op: op}
	for _, side := range []filter.Expression{x.Left, x.Right} {
		sub, err := translate(side, prefix)
		if err != nil {
			return team.Filter{}, err
		}
		if sub.Op == op {
			f.Sub = append(f.Sub, sub.Sub...)
		} else {
			f.Sub = append(f.Sub, sub)
		}
	}
	return f, nil
}

// valuePath compiles emails[...] and phoneNumbers[...]: a member has at
// most one of each, so the terms within compare that one value.
func valuePath(x *filter.ValuePath, prefix string) (team.Filter, error) {
	p := x.AttributePath
	if _, ok := userFilterAttr(p); !ok || prefix != "" || p.SubAttribute != nil || !slices.Contains([]string{"emails", "phonenumbers"}, lowerName(p)) {
		return team.Filter{}, badRequest(typeInvalidFilter, "filter", "%s cannot take a value filter; emails and phoneNumbers can", p.String())
	}
	return translate(x.ValueFilter, lowerName(p)+".")
}

// term compiles one comparison.
func term(x *filter.AttributeExpression, prefix string) (team.Filter, error) {
	p := x.AttributePath
	name := prefix + p.String()
	if prefix != "" && p.URIPrefix != nil {
		return team.Filter{}, badRequest(typeInvalidFilter, "filter", "%s: a value filter's terms name sub-attributes only", name)
	}
	p.AttributeName = prefix + p.AttributeName
	fa, ok := userFilterAttr(p)
	switch {
	case !ok:
		return team.Filter{}, badRequest(typeInvalidFilter, "filter", "%s is not an attribute filters compare; they compare userName, emails, name, displayName, title, phoneNumbers, active, externalId, id, meta.created, meta.lastModified and the enterprise employeeNumber, department and manager", name)
	case fa.konst != nil:
		return constantTerm(x, fa.konst, name)
	case fa.phone:
		return phoneTypeTerm(x, name)
	case x.Operator == filter.PR:
		return team.Filter{Op: team.OpPresent, Attr: fa.attr}, nil
	}
	v, err := termValue(x, fa.attr, name)
	return team.Filter{Op: team.OpCompare, Attr: fa.attr, Cmp: cmps[x.Operator], Value: v}, err
}

// termValue returns the value a comparison of a compares with, of the kind
// a holds, if the operator applies to it.
func termValue(x *filter.AttributeExpression, a team.Attr, name string) (any, error) {
	v, err := compareValue(x.CompareValue, "filter", name, typeInvalidFilter)
	if err != nil {
		return nil, err
	}
	op := x.Operator
	s, isText := v.(string)
	switch a.Kind() {
	case team.KindBool:
		if b, ok := v.(bool); ok && (op == filter.EQ || op == filter.NE) {
			return b, nil
		}
		return nil, badRequest(typeInvalidFilter, "filter", "%s is a boolean, compared with eq or ne and true or false", name)
	case team.KindTime:
		t, err := time.Parse(time.RFC3339Nano, s)
		if isText && err == nil && op != filter.CO && op != filter.SW && op != filter.EW {
			return t, nil
		}
		return nil, badRequest(typeInvalidFilter, "filter", "%s is a dateTime, compared with eq, ne, gt, ge, lt or le and a time such as \"2026-01-02T15:04:05Z\"", name)
	}
	if isText && op != filter.GT && op != filter.GE && op != filter.LT && op != filter.LE {
		return s, nil
	}
	return nil, badRequest(typeInvalidFilter, "filter", "%s is text, compared with eq, ne, co, sw, ew or pr and a string", name)
}

// constantTerm compiles a comparison of a value every member has.
func constantTerm(x *filter.AttributeExpression, konst any, name string) (team.Filter, error) {
	if x.Operator == filter.PR {
		return truth(true), nil
	}
	v, err := compareValue(x.CompareValue, "filter", name, typeInvalidFilter)
	if err != nil {
		return team.Filter{}, err
	}
	if b, ok := konst.(bool); ok {
		want, isBool := v.(bool)
		if !isBool {
			return team.Filter{}, badRequest(typeInvalidFilter, "filter", "%s is a boolean, compared with true or false", name)
		}
		ok, err := compareBool(x.Operator, b, want, "filter", name, typeInvalidFilter)
		return truth(ok), err
	}
	s, ok := v.(string)
	if !ok {
		return team.Filter{}, badRequest(typeInvalidFilter, "filter", "%s is text, compared with a string", name)
	}
	return truth(compareText(x.Operator, konst.(string), strings.ToLower(s))), nil
}

// phoneTypeTerm compiles a comparison of phoneNumbers.type, which is
// "mobile" where a member has a phone.
func phoneTypeTerm(x *filter.AttributeExpression, name string) (team.Filter, error) {
	present := team.Filter{Op: team.OpPresent, Attr: team.AttrPhone}
	if x.Operator == filter.PR {
		return present, nil
	}
	f, err := constantTerm(x, "mobile", name)
	if err != nil || f.Op == team.OpFalse {
		return f, err
	}
	return present, nil
}

func truth(ok bool) team.Filter {
	if ok {
		return team.Filter{Op: team.OpTrue}
	}
	return team.Filter{Op: team.OpFalse}
}
