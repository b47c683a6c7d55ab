package scim

import (
	"maps"
	"slices"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// A resource is handled as a document: a JSON object whose keys are the
// canonical attribute names of its schema (RFC 7643 names are
// case-insensitive on input), with an extension's attributes in an object
// under the extension's URN. Bodies, PATCH operations and projections all
// work on documents; user.go and group.go turn them into the identity
// library's types and back.

// Limits of request values.
const (
	maxValues      = 1000 // values of one multi-valued attribute, or operations of one PATCH
	maxStringBytes = 1024 // bytes of one string value
	maxPathBytes   = 512  // bytes of one PATCH path or attributes name
	maxFilterBytes = 4096 // bytes of one filter
)

// ref is where an attribute path points in a document.
type ref struct {
	ext  string // the URN of the extension that holds attr; "" for the core schema
	attr *attr  // nil: the whole extension
	sub  *attr  // nil: the whole attribute
}

// name returns the path ref points at, for messages.
func (f ref) name() string {
	var b strings.Builder
	if f.ext != "" {
		b.WriteString(f.ext)
		if f.attr != nil {
			b.WriteByte(':')
		}
	}
	if f.attr != nil {
		b.WriteString(f.attr.name)
	}
	if f.sub != nil {
		b.WriteString("." + f.sub.name)
	}
	return b.String()
}

// readOnly reports whether ref points at an attribute clients never set.
func (f ref) readOnly() bool {
	return f.attr != nil && (f.attr.mutability == "readOnly" || f.sub != nil && f.sub.mutability == "readOnly")
}

// resolve finds p among r's attributes. found is false for an attribute r
// does not have: input ignores it.
func (r resource) resolve(p filter.AttributePath) (f ref, found bool) {
	uri := p.URI()
	var a *attr
	switch {
	case uri == "":
		a, f.ext = r.core(p.AttributeName)
		for i := 0; a == nil && i < len(r.extensions); i++ {
			a, f.ext = find(r.extensions[i].attrs, p.AttributeName), r.extensions[i].id
		}
	case strings.EqualFold(uri, r.schema.id):
		a, _ = r.core(p.AttributeName)
	case r.extension(uri) != nil:
		a, f.ext = find(r.extension(uri).attrs, p.AttributeName), r.extension(uri).id
	case p.SubAttribute == nil && r.extension(uri+":"+p.AttributeName) != nil:
		return ref{ext: r.extension(uri + ":" + p.AttributeName).id}, true
	}
	if a == nil {
		return ref{}, false
	}
	f.attr = a
	if p.SubAttribute != nil {
		f.sub = find(a.sub, *p.SubAttribute)
		return f, f.sub != nil
	}
	return f, true
}

// core returns the common or core attribute named name.
func (r resource) core(name string) (*attr, string) {
	if a := find(common, name); a != nil {
		return a, ""
	}
	return find(r.schema.attrs, name), ""
}

// resolveName resolves an attribute name as a body key or an attributes
// parameter gives it: an attribute path, or an extension's URN alone.
func (r resource) resolveName(name string) (ref, bool) {
	if e := r.extension(name); e != nil {
		return ref{ext: e.id}, true
	}
	if len(name) > maxPathBytes {
		return ref{}, false
	}
	p, err := filter.ParseAttrPath([]byte(name))
	if err != nil {
		return ref{}, false
	}
	return r.resolve(p)
}

// holder returns the object of doc that holds f's attribute: doc itself or
// its extension's object, made if create is set; nil if there is none.
func holder(doc map[string]any, f ref, create bool) map[string]any {
	if f.ext == "" {
		return doc
	}
	obj, ok := doc[f.ext].(map[string]any)
	if !ok && create {
		obj = map[string]any{}
		doc[f.ext] = obj
	}
	return obj
}

// conform returns v as a value of a in a document: canonical sub-attribute
// names, booleans from the strings "true" and "false" (as Entra sends
// them), a single object of a multi-valued attribute as a list of one, and
// an object of a complex attribute with a value sub-attribute from a
// string alone. name is the path of a for messages.
func conform(a *attr, v any, name string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if a.multi {
		return conformList(a, v, name)
	}
	return conformOne(a, v, name)
}

func conformList(a *attr, v any, name string) (any, error) {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	if len(list) > maxValues {
		return nil, badRequest(typeInvalidValue, name, "has %d values; the limit is %d", len(list), maxValues)
	}
	out := make([]any, 0, len(list))
	for _, e := range list {
		c, err := conformOne(a, e, name)
		if err != nil {
			return nil, err
		}
		if c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}

func conformOne(a *attr, v any, name string) (any, error) {
	switch a.typ {
	case "complex":
		return conformComplex(a, v, name)
	case "boolean":
		return conformBool(v, name)
	}
	return conformString(v, name)
}

func conformString(v any, name string) (any, error) {
	s, ok := v.(string)
	switch {
	case v == nil:
		return nil, nil
	case !ok:
		return nil, badRequest(typeInvalidValue, name, "must be a string, not %s", jsonType(v))
	case len(s) > maxStringBytes:
		return nil, badRequest(typeInvalidValue, name, "is longer than %d bytes", maxStringBytes)
	case strings.IndexByte(s, 0) >= 0:
		return nil, badRequest(typeInvalidValue, name, "must not contain a NUL character")
	}
	return s, nil
}

func conformBool(v any, name string) (any, error) {
	switch b := v.(type) {
	case nil, bool:
		return b, nil
	case string:
		switch strings.ToLower(b) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return nil, badRequest(typeInvalidValue, name, "must be true or false, not %s", jsonType(v))
}

func conformComplex(a *attr, v any, name string) (any, error) {
	if s, ok := v.(string); ok && find(a.sub, "value") != nil {
		v = map[string]any{"value": s}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest(typeInvalidValue, name, "must be an object, not %s", jsonType(v))
	}
	out := make(map[string]any, len(obj))
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		sub := find(a.sub, k)
		if sub == nil || sub.mutability == "readOnly" {
			continue
		}
		if _, twice := out[sub.name]; twice {
			return nil, badRequest(typeInvalidValue, name+"."+sub.name, "is given twice")
		}
		c, err := conformOne(sub, obj[k], name+"."+sub.name)
		if err != nil {
			return nil, err
		}
		if c != nil {
			out[sub.name] = c
		}
	}
	return out, nil
}

// jsonType names the JSON type of a decoded value, for messages.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	}
	return "an object"
}
