package httpapi

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"net/http"
)

// openapiJSON is the endpoint reference: an OpenAPI 3.0 document of every
// mounted endpoint, with paths relative to its one server, "/", and the
// token endpoint's path as its OAuth 2.0 flow's tokenUrl.
//
//go:embed openapi.json
var openapiJSON []byte

// referenceRoute serves the endpoint reference at GET /openapi.json, its
// server and token URL under the mount prefix.
func (a *api) referenceRoute() route {
	doc := withPrefix(openapiJSON, a.opts.Prefix)
	return route{path: "/openapi.json", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, errMethod(r, http.MethodGet))
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(doc)
	})}
}

// withPrefix returns doc with prefix (or "/" if none) as its one server and
// the token endpoint's path under prefix as its tokenUrl: an absolute path,
// since clients differ on what a relative one is relative to. doc is the
// embedded document, whose validity the tests check, so a failure here is
// a bug.
func withPrefix(doc []byte, prefix string) []byte {
	doc = setMember(doc, []map[string]string{{"url": cmp.Or(prefix, "/")}}, "servers")
	doc = setMember(doc, prefix+tokenPath, "components", "securitySchemes", "applicationToken", "flows", "clientCredentials", "tokenUrl")
	var b bytes.Buffer
	if err := json.Indent(&b, doc, "", "  "); err != nil {
		panic("httpapi: embedded openapi.json: " + err.Error())
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// setMember returns the JSON object doc with the member at path set to v,
// compacted, with the members of each object on path in order of name.
func setMember(doc []byte, v any, path ...string) []byte {
	if len(path) > 0 {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(doc, &obj); err != nil {
			panic("httpapi: embedded openapi.json: " + err.Error())
		}
		obj[path[0]] = setMember(obj[path[0]], v, path[1:]...)
		v = obj
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("httpapi: embedded openapi.json: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
