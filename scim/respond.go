package scim

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/embedid/identity"
)

// contentType is the media type of every answer.
const contentType = "application/scim+json; charset=utf-8"

// writeJSON writes v as the body of an answer with status. Answers describe
// people, so nothing may cache them.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	// An error here means the client went away; there is no one to tell.
	json.NewEncoder(w).Encode(v)
}

func itoa(n int) string { return strconv.Itoa(n) }

// etag returns the entity tag of a resource's version: weak, as a resource
// rendered differently (attributes=...) is the same version.
func etag(version string) string { return `W/"` + version + `"` }

// versionOf returns the version an If-Match or If-None-Match header names:
// "" for none or "*" (any version), else the first tag without its quotes
// and weakness.
func versionOf(header string) string {
	tag, _, _ := strings.Cut(header, ",")
	tag = strings.TrimSpace(tag)
	if tag == "*" {
		return ""
	}
	tag = strings.TrimPrefix(tag, "W/")
	return strings.Trim(tag, `"`)
}

// readBody reads the body of c's request, at most the configured limit, as
// a JSON object.
func (c *call) readBody() (map[string]any, error) {
	if ct := c.r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/scim+json" && mt != "application/json") {
			return nil, refuse(http.StatusUnsupportedMediaType, "", "Content-Type", "must be application/scim+json or application/json")
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, c.s.opts.MaxBodyBytes))
	var body map[string]any
	err := dec.Decode(&body)
	if err == nil {
		if _, end := dec.Token(); end != io.EOF {
			err = errors.New("more than one JSON value")
			if _, tooLarge := errors.AsType[*http.MaxBytesError](end); tooLarge {
				err = end
			}
		}
	}
	if mb, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return nil, refuse(http.StatusRequestEntityTooLarge, "", "body", "is larger than the limit of %d bytes", mb.Limit)
	}
	if err != nil || body == nil {
		return nil, badRequest(typeInvalidSyntax, "body", "must be one JSON object")
	}
	return body, nil
}

// writeResource answers with a rendered resource and its ETag; a created
// one (201) with its Location too.
func (c *call) writeResource(status int, doc map[string]any, version string) {
	c.w.Header().Set("ETag", etag(version))
	if meta, ok := doc["meta"].(map[string]any); ok && status == http.StatusCreated {
		c.w.Header().Set("Location", meta["location"].(string))
	}
	writeJSON(c.w, status, doc)
}

// notModified answers 304 if the request's If-None-Match names version.
func (c *call) notModified(version string) bool {
	h := c.r.Header.Get("If-None-Match")
	if h == "" || (h != "*" && versionOf(h) != version) {
		return false
	}
	c.w.Header().Set("ETag", etag(version))
	c.w.WriteHeader(http.StatusNotModified)
	return true
}

// maxAttempts bounds the read-change-write rounds of a PATCH (or a Group
// PUT) that meet a version changed by someone else in between.
const maxAttempts = 3

// retrying runs write, a read-change-write round, with the version the
// client's If-Match names ("" for none or "*"). Without one, a round that
// met a version changed in between (Stale) is run again.
func (c *call) retrying(write func(ifMatch string) error) error {
	ifMatch := versionOf(c.r.Header.Get("If-Match"))
	for attempt := 1; ; attempt++ {
		err := write(ifMatch)
		if ifMatch != "" || attempt == maxAttempts || identity.ErrorCode(err) != identity.CodeStale {
			return err
		}
	}
}

// ifMatch returns the version the client's If-Match names, else version.
func ifMatchOr(client, version string) string {
	if client != "" {
		return client
	}
	return version
}
