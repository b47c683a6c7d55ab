package scim

import (
	"net/http"
	"slices"
	"strings"
)

// The discovery endpoints (RFC 7644 section 4) need a valid access token,
// as every endpoint here does, and no permission beyond it.

var resources = []resource{userResource, groupResource}

func (s *server) serviceProviderConfig(c *call) error {
	writeJSON(c.w, http.StatusOK, map[string]any{
		"schemas":        []string{urnSPC},
		"patch":          map[string]any{"supported": true},
		"bulk":           map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":         map[string]any{"supported": true, "maxResults": maxCount},
		"changePassword": map[string]any{"supported": false},
		"sort":           map[string]any{"supported": true},
		"etag":           map[string]any{"supported": true},
		"authenticationSchemes": []any{map[string]any{
			"type": "oauthbearertoken", "name": "OAuth Bearer Token", "primary": true,
			"description": "An application's access token (OAuth 2.0 client credentials), sent as Authorization: Bearer",
		}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": c.location("", "ServiceProviderConfig")},
	})
	return nil
}

func (s *server) resourceTypes(c *call) error { return listAll(c, resources, (*call).resourceTypeDoc) }

func (s *server) resourceType(c *call) error {
	return findOne(c, resources, "name", "resource type", func(r resource) string { return r.name }, (*call).resourceTypeDoc)
}

// listAll answers a list of every item, rendered.
func listAll[T any](c *call, items []T, render func(*call, T) map[string]any) error {
	docs := make([]map[string]any, len(items))
	for i, v := range items {
		docs[i] = render(c, v)
	}
	writeJSON(c.w, http.StatusOK, newList(len(docs), 1, docs))
	return nil
}

// findOne answers the item whose key the path's wildcard param names,
// ignoring case, rendered; what names the kind of item, for a 404.
func findOne[T any](c *call, items []T, param, what string, key func(T) string, render func(*call, T) map[string]any) error {
	for _, v := range items {
		if strings.EqualFold(key(v), c.r.PathValue(param)) {
			writeJSON(c.w, http.StatusOK, render(c, v))
			return nil
		}
	}
	return refuse(http.StatusNotFound, "", param, "no such %s", what)
}

func (c *call) resourceTypeDoc(r resource) map[string]any {
	exts := make([]any, len(r.extensions))
	for i, e := range r.extensions {
		exts[i] = map[string]any{"schema": e.id, "required": false}
	}
	return map[string]any{
		"schemas": []string{urnRT}, "id": r.name, "name": r.name, "endpoint": r.endpoint,
		"description": r.schema.description, "schema": r.schema.id, "schemaExtensions": exts,
		"meta": map[string]any{"resourceType": "ResourceType", "location": c.location("/ResourceTypes", r.name)},
	}
}

// allSchemas are the schemas /Schemas describes.
var allSchemas = []schema{userSchema, enterpriseSchema, groupSchema}

func (s *server) schemas(c *call) error { return listAll(c, allSchemas, (*call).schemaDoc) }

func (s *server) schema(c *call) error {
	return findOne(c, allSchemas, "id", "schema", func(sc schema) string { return sc.id }, (*call).schemaDoc)
}

func (c *call) schemaDoc(sc schema) map[string]any {
	var attrs []any
	if slices.ContainsFunc(resources, func(r resource) bool { return r.schema.id == sc.id }) {
		attrs = append(attrs, attrDoc(*find(common, "id")), attrDoc(*find(common, "externalId")))
	}
	for _, a := range sc.attrs {
		attrs = append(attrs, attrDoc(a))
	}
	return map[string]any{
		"schemas": []string{urnSchema}, "id": sc.id, "name": sc.name, "description": sc.description, "attributes": attrs,
		"meta": map[string]any{"resourceType": "Schema", "location": c.location("/Schemas", sc.id)},
	}
}

// attrDoc describes a as RFC 7643 section 7 does, with its defaults made
// explicit.
func attrDoc(a attr) map[string]any {
	doc := map[string]any{
		"name": a.name, "type": a.typ, "multiValued": a.multi, "description": a.description,
		"required": a.required, "caseExact": a.caseExact,
		"mutability": orDefault(a.mutability, "readWrite"), "returned": orDefault(a.returned, "default"), "uniqueness": orDefault(a.uniqueness, "none"),
	}
	if a.canonical != nil {
		doc["canonicalValues"] = a.canonical
	}
	if a.refTypes != nil {
		doc["referenceTypes"] = a.refTypes
	}
	if a.sub != nil {
		subs := make([]any, len(a.sub))
		for i, s := range a.sub {
			subs[i] = attrDoc(s)
		}
		doc["subAttributes"] = subs
	}
	return doc
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
