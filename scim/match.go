package scim

import (
	"encoding/json"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// matches reports whether the value filter e of a PATCH path matches obj,
// a value of the multi-valued complex attribute a.
func matches(e filter.Expression, obj map[string]any, a *attr) (bool, error) {
	switch x := e.(type) {
	case *filter.AttributeExpression:
		return matchTerm(x, obj, a)
	case *filter.NotExpression:
		ok, err := matches(x.Expression, obj, a)
		return !ok, err
	case *filter.LogicalExpression:
		left, err := matches(x.Left, obj, a)
		if err != nil {
			return false, err
		}
		right, err := matches(x.Right, obj, a)
		if x.Operator == filter.AND {
			return left && right, err
		}
		return left || right, err
	}
	return false, badRequest(typeInvalidPath, "path", "a value filter of %s cannot nest another", a.name)
}

// matchTerm reports whether one comparison of a value filter matches obj.
func matchTerm(x *filter.AttributeExpression, obj map[string]any, a *attr) (bool, error) {
	sub, err := termSub(x, a)
	if err != nil {
		return false, err
	}
	got := obj[sub.name]
	if x.Operator == filter.PR {
		return got != nil && got != "", nil
	}
	want, err := compareValue(x.CompareValue, "path", a.name+"."+sub.name, typeInvalidPath)
	if err != nil {
		return false, err
	}
	if b, ok := want.(bool); ok {
		g, _ := got.(bool)
		return compareBool(x.Operator, g, b, "path", a.name+"."+sub.name, typeInvalidPath)
	}
	g, _ := got.(string)
	if !sub.caseExact {
		g, want = strings.ToLower(g), strings.ToLower(want.(string))
	}
	return compareText(x.Operator, g, want.(string)), nil
}

// termSub returns the sub-attribute of a that a term of a value filter
// compares.
func termSub(x *filter.AttributeExpression, a *attr) (*attr, error) {
	p := x.AttributePath
	sub := find(a.sub, p.AttributeName)
	if p.URIPrefix != nil || p.SubAttribute != nil || sub == nil {
		return nil, badRequest(typeInvalidPath, "path", "%s has no sub-attribute %s", a.name, p.String())
	}
	return sub, nil
}

// compareValue returns the string (unescaped) or boolean value a filter
// compares the attribute name with; others are refused with scimType, as
// the fault of field (filter or path).
func compareValue(v any, field, name, scimType string) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		var s string
		if err := json.Unmarshal([]byte(`"`+x+`"`), &s); err != nil {
			return nil, badRequest(scimType, field, "%s is compared with a string that is not valid JSON", name)
		}
		return s, nil
	}
	return nil, badRequest(scimType, field, "%s can only be compared with a string or a boolean", name)
}

func compareBool(op filter.CompareOperator, got, want bool, field, name, scimType string) (bool, error) {
	switch op {
	case filter.EQ:
		return got == want, nil
	case filter.NE:
		return got != want, nil
	}
	return false, badRequest(scimType, field, "%s is a boolean, compared only with eq, ne or pr", name)
}

// compareText applies a comparison to two strings as they compare.
func compareText(op filter.CompareOperator, got, want string) bool {
	switch op {
	case filter.EQ:
		return got == want
	case filter.NE:
		return got != want
	case filter.CO:
		return strings.Contains(got, want)
	case filter.SW:
		return strings.HasPrefix(got, want)
	case filter.EW:
		return strings.HasSuffix(got, want)
	case filter.GT:
		return got > want
	case filter.GE:
		return got >= want
	case filter.LT:
		return got < want
	}
	return got <= want
}

// fromTerms sets in made the sub-attributes the eq terms of e, joined by
// and, give; false if e is not such a filter.
func fromTerms(e filter.Expression, made map[string]any, a *attr) bool {
	switch x := e.(type) {
	case *filter.AttributeExpression:
		sub, err := termSub(x, a)
		if err != nil || x.Operator != filter.EQ {
			return false
		}
		v, err := compareValue(x.CompareValue, "path", sub.name, typeInvalidPath)
		made[sub.name] = v
		return err == nil
	case *filter.LogicalExpression:
		return x.Operator == filter.AND && fromTerms(x.Left, made, a) && fromTerms(x.Right, made, a)
	}
	return false
}
