package httpapi_test

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage/storagetest"
)

// paramTarget is one parameter of one endpoint, as the endpoint reference
// describes them.
type paramTarget struct {
	method, path string // path may hold a {wildcard}
	name, in     string // in: path, query, header or body
}

func (p paramTarget) String() string { return p.method + " " + p.path + " " + p.in + " " + p.name }

// paramTargets lists every parameter of every endpoint of the four families
// and the token endpoint, read from the endpoint reference, in a fixed
// order. The SCIM routes are left out: httpapi.Mount does not serve them.
func paramTargets(tb testing.TB) []paramTarget {
	doc, err := openapiDoc()
	if err != nil {
		tb.Fatal(err)
	}
	var ts []paramTarget
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if path == "/openapi.json" || strings.HasPrefix(path, "/scim/") {
				continue
			}
			for _, p := range append(item.Parameters, op.Parameters...) {
				ts = append(ts, paramTarget{method, path, p.Value.Name, p.Value.In})
			}
			if op.RequestBody == nil {
				continue
			}
			for _, mt := range op.RequestBody.Value.Content {
				for name := range mt.Schema.Value.Properties {
					t := paramTarget{method, path, name, "body"}
					if name != "file" && !slices.Contains(ts, t) {
						ts = append(ts, t)
					}
				}
			}
		}
	}
	slices.SortFunc(ts, func(a, b paramTarget) int { return strings.Compare(a.String(), b.String()) })
	return ts
}

// fuzzFixture is what the requests of FuzzParams act on: a team with an
// admin's session, members to read and to remove, a project, and an
// application of the team with an access token.
type fuzzFixture struct {
	s                  *server
	targets            []paramTarget // every parameter of every endpoint
	adminEmail         string
	teamID, session    string
	adminID, projectID string
	memberID, victimID string
	clientID, secret   string
	token              string
}

// newFuzzFixture builds the fixture on Postgres when
// IDENTITY_TEST_POSTGRES_DSN is set, else on SQLite. Lockout is out of the
// way: the random passwords and secrets would lock the fixture's accounts.
func newFuzzFixture(tb testing.TB) *fuzzFixture {
	st := storagetest.SQLite(tb)
	if os.Getenv(storagetest.PostgresEnv) != "" {
		st = storagetest.Postgres(tb)
	}
	s := newServer(tb, st, httpapi.Options{}, identity.WithLockout(math.MaxInt32, time.Minute))
	fx := &fuzzFixture{s: s, targets: paramTargets(tb), adminEmail: "admin@example.com"}
	fx.teamID, fx.session = s.activeTeam(fx.adminEmail)
	fx.memberID = s.create(fx.session, "member@example.com", member).UserID
	fx.victimID = s.create(fx.session, "victim@example.com", member).UserID
	admin, err := s.svc.Authenticate(context.Background(), fx.session)
	if err != nil {
		tb.Fatal(err)
	}
	fx.adminID = admin.UserID
	p, err := s.svc.CreateProject(context.Background(), fx.teamID, "Fuzz")
	if err != nil {
		tb.Fatal(err)
	}
	fx.projectID = p.ID
	a := s.newApp(fx.teamID, "all")
	fx.clientID, fx.secret, fx.token = a.clientID, a.secret, a.token
	return fx
}

// refresh logs the admin in again, and issues a new access token, if a
// request ended the session or revoked the token.
func (fx *fuzzFixture) refresh(tb testing.TB) {
	ctx := context.Background()
	if _, err := fx.s.svc.Authenticate(ctx, fx.session); err != nil {
		ss, err := fx.s.svc.Login(ctx, identity.Login{Email: fx.adminEmail, Password: password, TeamID: fx.teamID})
		if err != nil {
			tb.Fatalf("log the admin in again: %v", err)
		}
		fx.session = ss.Token
	}
	if _, err := fx.s.svc.AuthenticateToken(ctx, fx.token); err != nil {
		t, err := fx.s.svc.IssueToken(ctx, fx.clientID, fx.secret, "198.51.100.1")
		if err != nil {
			tb.Fatalf("issue a new access token: %v", err)
		}
		fx.token = t.Token
	}
}

// valid returns the value of a parameter in a request that would succeed,
// or change nothing that the next request needs.
func (fx *fuzzFixture) valid(t paramTarget) string {
	switch t.name {
	case "auth_token":
		return fx.session
	case "email_address":
		if strings.HasSuffix(t.path, "/signup") {
			return "new@example.com"
		}
		return fx.adminEmail
	case "password", "confirm_password", "confirm_old_password", "new_password", "confirm_new_password":
		return password
	case "project_id":
		return fx.projectID
	case "client_secret":
		return fx.secret
	case "team_id", "team_update_id", "corp_id", "organizationId":
		return fx.teamID
	case "user_update_id":
		return fx.adminID // the settings are the member's own to change
	case "user_id", "owner_id":
		if strings.HasSuffix(t.path, "/remove") {
			return fx.victimID
		}
		return fx.memberID
	case "client_id", "X-APP-ID":
		return fx.clientID
	}
	return fuzzDefaults[t.name]
}

// fuzzDefaults are the valid values of the parameters that do not name
// something of the fixture; a parameter not listed is not sent.
var fuzzDefaults = map[string]string{
	"first_name": "Le", "last_name": "Tran", "middle_name": "Van", "business_name": "NIT", "business_size": "1-50",
	"phone": "15204130007", "payment_id": "1", "plan_id": "1", "activation_code": "unknown-code", "reset_code": "unknown-code",
	"keep_me_login": "true", "search_key": "tran", "sort_key": "3", "page_size": "10", "page_number": "0",
	"mail_address": "new-member@example.com", "user_role": member, "role_id": admin,
	"time_zone": "9", "notification_flag": "101", "lang": "en", "all": "true",
	"team_name": "NIT", "phone_number": "0908296906", "company_size": "1-50", "website": "https://example.com",
	"grant_type": "client_credentials", "scope": "all", "token": "unknown-token", "token_type_hint": "access_token",
	"area_code": "86", "mobile": "15204130007", "email": "member@example.com", "event_type": "add", "pool": "alive",
	"contact_type": "mobile", "name": "Le Tran", "domain": "example.com", "phoneArea": "86",
}

// request builds the request to t's endpoint with value as t's parameter
// and every other parameter valid.
func (fx *fuzzFixture) request(t paramTarget, value string) *http.Request {
	path, query, body := t.path, url.Values{}, url.Values{}
	header := http.Header{}
	for _, p := range fx.params(t) {
		v := fx.valid(p)
		if p == t {
			v = value
		}
		switch p.in {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.name+"}", url.PathEscape(v))
		case "query":
			query.Set(p.name, v)
		case "header":
			header.Set(p.name, v)
		default:
			body.Set(p.name, v)
		}
	}
	req := httptest.NewRequest(t.method, path, strings.NewReader(body.Encode()))
	req.URL.RawQuery = query.Encode()
	req.Header = header
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if !strings.HasPrefix(t.path, "/api/user/") && !strings.HasPrefix(t.path, "/api/v2/tenant/token") {
		req.Header.Set("Authorization", "Bearer "+fx.token)
	}
	return req
}

// params returns the parameters of t's endpoint: the one fuzzed, and those
// with a valid value.
func (fx *fuzzFixture) params(t paramTarget) []paramTarget {
	var ps []paramTarget
	for _, p := range fx.targets {
		if p.method == t.method && p.path == t.path && (p == t || fx.valid(p) != "") {
			ps = append(ps, p)
		}
	}
	return ps
}

// FuzzParams sends random bytes as the value of one parameter of one
// endpoint (a path wildcard, a query or body parameter, a header), every
// other parameter valid, and checks that no answer is a failure of the
// server (5xx) or outside the family's envelope. It runs on Postgres when
// IDENTITY_TEST_POSTGRES_DSN is set, else on SQLite. The seeds are the
// requests that once failed on Postgres, and a NUL and a byte that is not
// UTF-8 for every parameter.
func FuzzParams(f *testing.F) {
	fx := newFuzzFixture(f)
	at := func(method, path, name string) uint {
		i := slices.IndexFunc(fx.targets, func(t paramTarget) bool { return t.method == method && t.path == path && t.name == name })
		if i < 0 {
			f.Fatalf("the reference has no parameter %s of %s %s", name, method, path)
		}
		return uint(i)
	}
	for _, seed := range []struct {
		method, path, name, value string
	}{
		{"POST", "/api/user/profile", "user_id", "a\x00b"},
		{"GET", "/api/v2/tenant/users/{user_id}", "user_id", "\xffabc"},
		{"POST", "/api/v2/tenant/token", "client_id", "\xff"},
		{"POST", "/api/user/login", "team_id", "a\x00b"},
		{"POST", "/api/user/project", "project_id", "a\x00b"},
		{"POST", "/api/user/remove", "user_id", "a\x00b"},
		{"POST", "/api/user/update", "user_update_id", "a\x00b"},
		{"GET", "/api/v5/entity/profile/fetch", "user_id", "a\x00b"},
		{"POST", "/api/v5/entity/user/owner/update", "owner_id", "a\x00b"},
		{"POST", "/api/user/signup", "plan_id", "2147483648"},
		{"POST", "/api/user/updateteamprofile", "plan_id", "2147483648"},
	} {
		f.Add(at(seed.method, seed.path, seed.name), seed.value)
	}
	for i := range fx.targets {
		f.Add(uint(i), "\x00")
		f.Add(uint(i), "\xc3")
	}
	f.Fuzz(func(t *testing.T, target uint, value string) {
		fx.refresh(t)
		p := fx.targets[target%uint(len(fx.targets))]
		req := fx.request(p, value)
		rec := httptest.NewRecorder()
		fx.s.handler.ServeHTTP(rec, req)
		r := &reply{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
		if p.in == "path" && (value == "." || value == "..") && r.Status == http.StatusTemporaryRedirect {
			return // net/http redirects a path with a dot segment to its clean form before any handler runs
		}
		if err := familyOf(p.path).envelope(r); err != nil || r.Status >= http.StatusInternalServerError {
			t.Fatalf("%s = %q: %d, %v: %s", p, value, r.Status, err, r.Body)
		}
	})
}
