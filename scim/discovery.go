package scim

import (
	"net/http"
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

func (s *server) resourceTypes(c *call) error {
	docs := make([]map[string]any, len(resources))
	for i, r := range resources {
		docs[i] = c.resourceTypeDoc(r)
	}
	writeJSON(c.w, http.StatusOK, newList(len(docs), 1, docs))
	return nil
}

func (s *server) resourceType(c *call) error {
	for _, r := range resources {
		if strings.EqualFold(r.name, c.r.PathValue("name")) {
			writeJSON(c.w, http.StatusOK, c.resourceTypeDoc(r))
			return nil
		}
	}
	return refuse(http.StatusNotFound, "", "name", "no such resource type; there are User and Group")
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

func (s *server) schemas(c *call) error {
	docs := make([]map[string]any, len(allSchemas))
	for i, sc := range allSchemas {
		docs[i] = c.schemaDoc(sc)
	}
	writeJSON(c.w, http.StatusOK, newList(len(docs), 1, docs))
	return nil
}

func (s *server) schema(c *call) error {
	for _, sc := range allSchemas {
		if strings.EqualFold(sc.id, c.r.PathValue("id")) {
			writeJSON(c.w, http.StatusOK, c.schemaDoc(sc))
			return nil
		}
	}
	return refuse(http.StatusNotFound, "", "id", "no such schema")
}

func (c *call) schemaDoc(sc schema) map[string]any {
	attrs := make([]any, len(sc.attrs))
	for i, a := range sc.attrs {
		attrs[i] = attrDoc(a)
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
