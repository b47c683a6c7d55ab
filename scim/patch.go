package scim

import (
	"maps"
	"slices"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// operation is one PATCH operation (RFC 7644 section 3.5.2).
type operation struct {
	op    string // add, replace or remove, lower case
	path  string // "" for none
	value any
}

// readPatch reads the operations of a PATCH body. Its op values are
// case-insensitive ("Replace", as Entra sends); so are its member names.
func readPatch(body map[string]any) ([]operation, error) {
	raw, _ := member(body, "Operations")
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		return nil, badRequest(typeInvalidValue, "Operations", "must be an array of one or more operations")
	}
	if len(list) > maxValues {
		return nil, badRequest(typeInvalidValue, "Operations", "has %d operations; the limit is %d", len(list), maxValues)
	}
	ops := make([]operation, len(list))
	for i, e := range list {
		obj, ok := e.(map[string]any)
		if !ok {
			return nil, badRequest(typeInvalidValue, "Operations", "must hold objects, not %s", jsonType(e))
		}
		op, _ := member(obj, "op")
		path, _ := member(obj, "path")
		ops[i].value, _ = member(obj, "value")
		s, ok := op.(string)
		ops[i].op = strings.ToLower(s)
		if !ok || ops[i].op != "add" && ops[i].op != "replace" && ops[i].op != "remove" {
			return nil, badRequest(typeInvalidValue, "op", "must be add, replace or remove")
		}
		if ops[i].path, ok = path.(string); path != nil && !ok {
			return nil, badRequest(typeInvalidPath, "path", "must be a string")
		}
	}
	return ops, nil
}

// member returns the member of obj named name, ignoring case.
func member(obj map[string]any, name string) (any, bool) {
	if v, ok := obj[name]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// patcher applies operations to a document of a resource.
type patcher struct {
	res resource
	doc map[string]any
}

// apply applies op to the document.
func (p *patcher) apply(op operation) error {
	if op.path == "" {
		if op.op == "remove" {
			return badRequest(typeNoTarget, "path", "is required to remove")
		}
		return p.applyObject(op.op, op.value, "")
	}
	f, vf, found, err := p.res.target(op.path)
	switch {
	case err != nil:
		return err
	case !found:
		return nil // an attribute this server does not keep is ignored
	case f.readOnly():
		return badRequest(typeMutability, f.name(), "is read-only")
	}
	return p.applyAt(op, f, vf)
}

// target resolves a PATCH path: where it points, the value filter it
// has, if any, and whether r has that attribute.
func (r resource) target(path string) (f ref, vf filter.Expression, found bool, err error) {
	if len(path) > maxPathBytes {
		return f, nil, false, badRequest(typeInvalidPath, "path", "is longer than %d bytes", maxPathBytes)
	}
	if e := r.extension(path); e != nil {
		return ref{ext: e.id}, nil, true, nil
	}
	parsed, err := filter.ParsePath([]byte(path))
	if err != nil {
		return f, nil, false, badRequest(typeInvalidPath, "path", "%q is not a valid attribute path", path)
	}
	attrPath := parsed.AttributePath
	if parsed.SubAttribute != nil {
		if attrPath.SubAttribute != nil {
			return f, nil, false, badRequest(typeInvalidPath, "path", "%q has too many sub-attributes", path)
		}
		attrPath.SubAttribute = parsed.SubAttribute
	}
	f, found = r.resolve(attrPath)
	if found && parsed.ValueExpression != nil && (f.attr == nil || !f.attr.multi) {
		return f, nil, false, badRequest(typeInvalidPath, "path", "%q filters an attribute that is not multi-valued", path)
	}
	return f, parsed.ValueExpression, found, nil
}

// applyObject applies op to each attribute a path-less value names (as a
// path: Entra sends "name.givenName" and "emails[type eq \"work\"].value"),
// or the object of the extension ext ("" for none) names. Read-only and
// unknown attributes, and names that are no path, are ignored, as in
// bodies.
func (p *patcher) applyObject(op string, value any, ext string) error {
	name, prefix := "value", ""
	if ext != "" {
		name, prefix = ext, ext+":"
	}
	obj, ok := value.(map[string]any)
	if !ok {
		return badRequest(typeInvalidValue, name, "must be an object of attributes, not %s", jsonType(value))
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		f, vf, found, err := p.res.target(prefix + k)
		if err != nil || !found || f.readOnly() {
			continue
		}
		if err := p.applyAt(operation{op: op, value: obj[k]}, f, vf); err != nil {
			return err
		}
	}
	return nil
}

// applyAt applies op at f, on the values that match vf if it is set.
func (p *patcher) applyAt(op operation, f ref, vf filter.Expression) error {
	if f.attr == nil {
		if op.op == "remove" {
			delete(p.doc, f.ext)
			return nil
		}
		return p.applyObject(op.op, op.value, f.ext)
	}
	h := holder(p.doc, f, op.op != "remove")
	if h == nil {
		return nil
	}
	switch {
	case f.attr.multi:
		return p.applyMulti(op, f, vf, h)
	case f.sub != nil:
		return setSub(op, f, h)
	case op.op == "remove":
		delete(h, f.attr.name)
		return nil
	}
	v, err := conform(f.attr, op.value, f.name())
	if err != nil {
		return err
	}
	if old, ok := h[f.attr.name].(map[string]any); ok && v != nil {
		v = merged(old, v.(map[string]any))
	}
	setOrDelete(h, f.attr.name, v)
	return nil
}

// setSub applies op to a sub-attribute of a single complex attribute.
func setSub(op operation, f ref, h map[string]any) error {
	obj, _ := h[f.attr.name].(map[string]any)
	if obj == nil {
		obj = map[string]any{}
	}
	if op.op == "remove" {
		delete(obj, f.sub.name)
	} else {
		v, err := conform(f.sub, op.value, f.name())
		if err != nil {
			return err
		}
		setOrDelete(obj, f.sub.name, v)
	}
	setOrDelete(h, f.attr.name, obj)
	return nil
}

// merged returns old with the sub-attributes of v added or replaced.
func merged(old, v map[string]any) map[string]any {
	out := maps.Clone(old)
	maps.Copy(out, v)
	return out
}

// setOrDelete sets h[name] to v, or deletes it if v is nil, empty or an
// empty list or object: an attribute without a value is unassigned.
func setOrDelete(h map[string]any, name string, v any) {
	switch x := v.(type) {
	case nil:
		delete(h, name)
		return
	case []any:
		if len(x) == 0 {
			delete(h, name)
			return
		}
	case map[string]any:
		if len(x) == 0 {
			delete(h, name)
			return
		}
	}
	h[name] = v
}
