package scim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/scim"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

// server is the mounted SCIM API on a store, with a team and a token of
// an application of it.
type server struct {
	t       testing.TB
	svc     *identity.Service
	handler http.Handler
	logs    *bytes.Buffer
	teamID  string
	token   string // with permission all
}

const prefix = "/id"

func newServer(t testing.TB, st storage.Store) *server {
	svc, err := identity.New(st, identity.WithBcryptCost(4), identity.WithDefaultRegion("CN"))
	if err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, svc: svc, logs: &bytes.Buffer{}}
	tm, err := svc.CreateTeam(t.Context(), team.Profile{Name: "Acme"}, "")
	if err != nil {
		t.Fatal(err)
	}
	s.teamID = tm.ID
	s.token = s.tokenOf(tm.ID, team.PermAll)
	mux := http.NewServeMux()
	scim.Mount(mux, svc, scim.Options{Prefix: prefix, Logger: slog.New(slog.NewTextHandler(s.logs, nil)), MaxBodyBytes: 4096})
	s.handler = mux
	return s
}

// tokenOf returns an access token of a new application of the team.
func (s *server) tokenOf(teamID string, perms ...team.Permission) string {
	app, err := s.svc.CreateApplication(s.t.Context(), teamID, "scim", perms)
	if err != nil {
		s.t.Fatal(err)
	}
	tok, err := s.svc.IssueToken(s.t.Context(), app.Application.ClientID, app.Secret, "127.0.0.1")
	if err != nil {
		s.t.Fatal(err)
	}
	return tok.Token
}

// reply is an answer: its status, headers and body as JSON decodes it.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// do sends a request with s's token and the headers given as name, value
// pairs (an Authorization header replaces the token).
func (s *server) do(method, path, body string, headers ...string) reply {
	s.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, "https://id.example.com"+prefix+"/scim/v2"+path, r)
	req.Header.Set("Authorization", "Bearer "+s.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	s.handler.ServeHTTP(w, req)
	rep := reply{status: w.Code, header: w.Header(), raw: w.Body.String()}
	if w.Body.Len() > 0 {
		if err := json.Unmarshal(w.Body.Bytes(), &rep.body); err != nil {
			s.t.Fatalf("%s %s: %v in %s", method, path, err, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/scim+json; charset=utf-8" {
			s.t.Errorf("%s %s: Content-Type %q", method, path, ct)
		}
	}
	return rep
}

// wantError checks that rep is a SCIM error with status and scimType whose
// detail starts with detail.
func wantError(t testing.TB, what string, rep reply, status int, scimType, detail string) {
	t.Helper()
	b := rep.body
	schemas, _ := b["schemas"].([]any)
	if rep.status != status || len(schemas) != 1 || schemas[0] != "urn:ietf:params:scim:api:messages:2.0:Error" ||
		b["status"] != strconv.Itoa(status) || str(b["scimType"]) != scimType || !strings.HasPrefix(str(b["detail"]), detail) {
		t.Errorf("%s: got %d %s, want %d %s %q...", what, rep.status, rep.raw, status, scimType, detail)
	}
}

func str(v any) string { s, _ := v.(string); return s }

// The HTTP layer's own answers: these need no identity use case but
// AuthenticateToken.
func TestHTTP(t *testing.T) {
	s := newServer(t, storagetest.SQLite(t))
	for _, c := range []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		scimType, detail         string
	}{
		{"no token", "GET", "/Users", "", []string{"Authorization", ""}, 401, "", "access_token: "},
		{"bad token", "GET", "/Schemas", "", []string{"Authorization", "Bearer nope"}, 401, "", "access_token: "},
		{"unknown path", "GET", "/Devices", "", nil, 404, "", "no such endpoint"},
		{"unknown path below", "GET", "/Users/u1/x", "", nil, 404, "", "no such endpoint"},
		{"wrong method", "DELETE", "/Users", "", nil, 405, "", "method DELETE is not allowed; use GET, POST"},
		{"wrong method on discovery", "POST", "/Schemas", "{}", nil, 405, "", "method POST is not allowed; use GET"},
		{"content type", "POST", "/Users", `{}`, []string{"Content-Type", "text/plain"}, 415, "", "Content-Type: must be application/scim+json or application/json"},
		{"not JSON", "POST", "/Users", `{"userName":`, nil, 400, "invalidSyntax", "body: must be one JSON object"},
		{"two values", "POST", "/Users", `{} {}`, nil, 400, "invalidSyntax", "body: must be one JSON object"},
		{"an array", "PUT", "/Users/u1", `[]`, nil, 400, "invalidSyntax", "body: must be one JSON object"},
		{"too large", "POST", "/Groups", `{"displayName":"` + strings.Repeat("a", 5000) + `"}`, nil, 413, "", "body: is larger than the limit of 4096 bytes"},
		{"no userName", "POST", "/Users", `{"name":{"givenName":"A"}}`, []string{"Content-Type", "application/json"}, 400, "invalidValue", "userName: is required"},
		{"a number for a string", "PUT", "/Users/u1", `{"userName":"a@x","title":7}`, nil, 400, "invalidValue", "title: must be a string, not a number"},
		{"no address", "POST", "/Users", `{"userName":"jdoe"}`, nil, 400, "invalidValue", "emails: is required"},
		{"bad filter", "GET", "/Users?filter=nickName+eq+%22a%22", "", nil, 400, "invalidFilter", "filter: nickName is not an attribute"},
		{"bad group filter", "GET", "/Groups?filter=members+eq+%22a%22", "", nil, 400, "invalidFilter", "filter: Groups cannot be filtered by members"},
		{"bad startIndex", "GET", "/Users?startIndex=one", "", nil, 400, "invalidValue", `startIndex: must be an integer, got "one"`},
		{"bad count", "GET", "/Groups?count=1e3", "", nil, 400, "invalidValue", `count: must be an integer`},
		{"bad sortBy", "GET", "/Users?sortBy=title", "", nil, 400, "invalidValue", "sortBy: Users sort by"},
		{"bad sortOrder", "GET", "/Users?sortOrder=up", "", nil, 400, "invalidValue", "sortOrder: must be ascending or descending"},
		{"group sort", "GET", "/Groups?sortBy=displayName", "", nil, 400, "invalidValue", "sortBy: Groups are listed oldest first"},
		{"bad PATCH", "PATCH", "/Users/u1", `{"Operations":[{"op":"move"}]}`, nil, 400, "invalidValue", "op: must be add, replace or remove"},
		{"too many attributes", "POST", "/Users?attributes=" + strings.Repeat("a,", 100) + "a", `{"userName":"a@x"}`, nil, 400, "invalidValue", "attributes: names 101 attributes; the limit is 100"},
		{"an id no resource has", "GET", "/Users/" + strings.Repeat("x", 129), "", nil, 404, "", "id: no such resource"},
		{"no such schema", "GET", "/Schemas/urn:x", "", nil, 404, "", "id: no such schema"},
	} {
		rep := s.do(c.method, c.path, c.body, c.headers...)
		wantError(t, c.name, rep, c.status, c.scimType, c.detail)
		if c.status == 401 && rep.header.Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("%s: WWW-Authenticate %q", c.name, rep.header.Get("WWW-Authenticate"))
		}
		if c.status == 405 && rep.header.Get("Allow") == "" {
			t.Errorf("%s: no Allow", c.name)
		}
	}
	if s.logs.Len() > 0 {
		t.Errorf("refusals were logged: %s", s.logs)
	}
}

// Discovery answers any valid token, whatever its permissions.
func TestDiscoveryHTTP(t *testing.T) {
	s := newServer(t, storagetest.SQLite(t))
	s.token = s.tokenOf(s.teamID, team.PermUserRead)
	for _, path := range []string{"/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/User", "/Schemas",
		"/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group"} {
		if rep := s.do("GET", path, ""); rep.status != 200 {
			t.Errorf("%s: %d %s", path, rep.status, rep.raw)
		}
	}
	rep := s.do("GET", "/ResourceTypes/Group", "")
	if loc := rep.body["meta"].(map[string]any)["location"]; loc != "https://id.example.com/id/scim/v2/ResourceTypes/Group" {
		t.Errorf("location %v", loc)
	}
}
