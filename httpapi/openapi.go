package httpapi

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"net/http"
)

// openapiJSON is the endpoint reference: an OpenAPI 3.0 document of every
// mounted endpoint, with paths relative to its one server, "/".
//
//go:embed openapi.json
var openapiJSON []byte

// referenceRoute serves the endpoint reference at GET /openapi.json, its
// server set to the mount prefix.
func (a *api) referenceRoute() route {
	server := a.opts.Prefix
	if server == "" {
		server = "/"
	}
	doc := withServer(openapiJSON, server)
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

// withServer returns doc with url as its one server. doc is the embedded
// document, whose validity the tests check, so a failure here is a bug.
func withServer(doc []byte, url string) []byte {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		panic("httpapi: embedded openapi.json: " + err.Error())
	}
	top["servers"], _ = json.Marshal([]map[string]string{{"url": url}})
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(top); err != nil {
		panic("httpapi: embedded openapi.json: " + err.Error())
	}
	return b.Bytes()
}
