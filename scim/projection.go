package scim

import "strings"

// projection is what the attributes and excludedAttributes parameters ask
// of every resource an answer holds (RFC 7644 sections 3.4.2.5 and 3.9).
// Names this server does not know are ignored; id and schemas are always
// returned.
type projection struct {
	only    []ref // nil: every attribute returned by default
	exclude []ref
}

// projection reads the parameters of c's query for resources of r.
func (c *call) projection(r resource) (projection, error) {
	var p projection
	q, err := c.query()
	if err != nil {
		return p, err
	}
	if v := q.Get("attributes"); v != "" {
		if p.only, err = r.refs("attributes", v); err != nil {
			return p, err
		}
		p.only = append(p.only, ref{attr: find(common, "id")})
	}
	if v := q.Get("excludedAttributes"); v != "" {
		p.exclude, err = r.refs("excludedAttributes", v)
	}
	return p, err
}

// refs resolves a comma-separated list of attribute names.
func (r resource) refs(param, v string) ([]ref, error) {
	names := strings.Split(v, ",")
	if len(names) > maxNames {
		return nil, badRequest(typeInvalidValue, param, "names %d attributes; the limit is %d", len(names), maxNames)
	}
	var refs []ref
	for _, name := range names {
		if f, ok := r.resolveName(strings.TrimSpace(name)); ok {
			refs = append(refs, f)
		}
	}
	return refs, nil
}

// apply returns doc as p asks.
func (p projection) apply(doc map[string]any) map[string]any {
	if p.only != nil {
		out := map[string]any{"schemas": doc["schemas"]}
		for _, f := range p.only {
			copyRef(out, doc, f)
		}
		doc = out
	}
	for _, f := range p.exclude {
		if f.attr == nil || f.attr.returned != "always" {
			removeRef(doc, f)
		}
	}
	return doc
}

// copyRef copies what f points at from doc to out.
func copyRef(out, doc map[string]any, f ref) {
	from := holder(doc, f, false)
	switch {
	case f.attr == nil:
		setOrDelete(out, f.ext, doc[f.ext])
		return
	case from == nil || from[f.attr.name] == nil:
		return
	case f.sub == nil:
		holder(out, f, true)[f.attr.name] = from[f.attr.name]
		return
	}
	to := holder(out, f, true)
	if !f.attr.multi {
		obj, _ := to[f.attr.name].(map[string]any)
		to[f.attr.name] = subCopy(obj, elem(from[f.attr.name]), f.sub.name)
		return
	}
	values := list(from, f.attr.name)
	have, _ := to[f.attr.name].([]any)
	copied := make([]any, len(values))
	for i, v := range values {
		var obj map[string]any
		if i < len(have) {
			obj = elem(have[i])
		}
		copied[i] = subCopy(obj, v, f.sub.name)
	}
	to[f.attr.name] = copied
}

// subCopy returns to, made if nil, with from's sub-attribute name.
func subCopy(to, from map[string]any, name string) map[string]any {
	if to == nil {
		to = map[string]any{}
	}
	if v, ok := from[name]; ok {
		to[name] = v
	}
	return to
}

// removeRef removes what f points at from doc.
func removeRef(doc map[string]any, f ref) {
	h := holder(doc, f, false)
	switch {
	case f.attr == nil:
		delete(doc, f.ext)
	case h == nil:
	case f.sub == nil:
		delete(h, f.attr.name)
	case f.attr.multi:
		for _, v := range list(h, f.attr.name) {
			delete(v, f.sub.name)
		}
	default:
		if obj, ok := h[f.attr.name].(map[string]any); ok {
			delete(obj, f.sub.name)
		}
	}
}
