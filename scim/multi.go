package scim

import (
	"maps"
	"slices"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// The PATCH operations on multi-valued attributes (RFC 7644 section
// 3.5.2): emails, phoneNumbers and members.

// applyMulti applies op to a multi-valued attribute.
func (p *patcher) applyMulti(op operation, f ref, vf filter.Expression, h map[string]any) error {
	list, _ := h[f.attr.name].([]any)
	var err error
	switch {
	case vf != nil:
		list, err = applyFiltered(op, f, vf, list)
	case f.sub != nil:
		list, err = applyEach(op, f, list)
	case op.op == "remove":
		list, err = removeValues(f, list, op.value)
	default:
		list, err = addValues(op, f, list)
	}
	if err == nil {
		setOrDelete(h, f.attr.name, list)
	}
	return err
}

// addValues adds the values of op to list, or replaces list with them.
func addValues(op operation, f ref, list []any) ([]any, error) {
	v, err := conform(f.attr, op.value, f.name())
	if err != nil || v == nil {
		return nil, err
	}
	if op.op == "replace" {
		return v.([]any), nil
	}
	return append(list, v.([]any)...), nil
}

// removeValues removes every value of list, or, if value lists values
// (as Entra removes members), the values whose value sub-attribute is
// one of theirs.
func removeValues(f ref, list []any, value any) ([]any, error) {
	if value == nil {
		return nil, nil
	}
	v, err := conform(f.attr, value, f.name())
	if err != nil {
		return nil, err
	}
	gone := map[any]bool{}
	for _, e := range v.([]any) {
		gone[fold(f.attr, e.(map[string]any)["value"])] = true
	}
	return slices.DeleteFunc(list, func(e any) bool { return gone[fold(f.attr, elem(e)["value"])] }), nil
}

// fold returns a value sub-attribute's value as a key that compares as the
// sub-attribute does.
func fold(a *attr, v any) any {
	s, ok := v.(string)
	if sub := find(a.sub, "value"); ok && sub != nil && !sub.caseExact {
		return strings.ToLower(s)
	}
	return v
}

// applyEach applies op to a sub-attribute of every value of list; adding
// to an empty list makes one value.
func applyEach(op operation, f ref, list []any) ([]any, error) {
	if len(list) == 0 && op.op != "remove" {
		list = []any{map[string]any{}}
	}
	for _, e := range list {
		if err := setSub(op, ref{attr: f.attr, sub: f.sub}, map[string]any{f.attr.name: e}); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// applyFiltered applies op to the values of list that vf matches. A value
// filter that matches none makes a value of its eq terms to add or replace
// (Entra replaces emails[type eq "work"].value so); a remove that matches
// none does nothing.
func applyFiltered(op operation, f ref, vf filter.Expression, list []any) ([]any, error) {
	var hits []int
	for i, e := range list {
		ok, err := matches(vf, elem(e), f.attr)
		if err != nil {
			return nil, err
		}
		if ok {
			hits = append(hits, i)
		}
	}
	if op.op == "remove" {
		return removeHits(op, f, list, hits)
	}
	if len(hits) == 0 {
		made := map[string]any{}
		if !fromTerms(vf, made, f.attr) {
			return nil, badRequest(typeNoTarget, "path", "the filter on %s matches no value", f.attr.name)
		}
		list, hits = append(list, made), []int{len(list)}
	}
	for _, i := range hits {
		if err := setHit(op, f, elem(list[i])); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// setHit adds or replaces op's value in a value a filter matched.
func setHit(op operation, f ref, e map[string]any) error {
	if f.sub != nil {
		return setSub(op, f, map[string]any{f.attr.name: e})
	}
	v, err := conformOne(f.attr, op.value, f.name())
	if err != nil || v == nil {
		return err
	}
	maps.Copy(e, v.(map[string]any))
	return nil
}

// removeHits removes the values at hits, or their sub-attribute.
func removeHits(op operation, f ref, list []any, hits []int) ([]any, error) {
	for j := len(hits) - 1; j >= 0; j-- {
		i := hits[j]
		if f.sub == nil {
			list = slices.Delete(list, i, i+1)
		} else if err := setSub(op, f, map[string]any{f.attr.name: list[i]}); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// elem returns a value of a multi-valued complex attribute as an object.
func elem(v any) map[string]any {
	obj, _ := v.(map[string]any)
	return obj
}
