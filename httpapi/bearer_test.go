package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

// Helpers and tests shared by the families that take access tokens: v5
// entity, tenant v2 and application portal.

// app is an application of a team and an access token of it.
type app struct {
	teamID, clientID, secret, token string
}

// newTeam creates an active team in region CN with a domain.
func (s *server) newTeam(name, domain string) string {
	s.t.Helper()
	t, err := s.svc.CreateTeam(context.Background(), team.Profile{Name: name, Region: "CN", Domain: domain}, "")
	if err != nil {
		s.t.Fatal(err)
	}
	return t.ID
}

// newApp registers an application of a team with the permission codes
// perms (comma-separated) and gets a token through the token endpoint.
func (s *server) newApp(teamID, perms string) app {
	s.t.Helper()
	ps, err := team.ParsePermissions("permissions", perms)
	if err != nil {
		s.t.Fatal(err)
	}
	a, err := s.svc.CreateApplication(context.Background(), teamID, "crm", ps)
	if err != nil {
		s.t.Fatal(err)
	}
	s.secrets = append(s.secrets, a.Secret)
	return app{teamID: teamID, clientID: a.Application.ClientID, secret: a.Secret, token: s.tokenFor(a.Application.ClientID, a.Secret)}
}

// tokenFor gets an access token through the token endpoint.
func (s *server) tokenFor(clientID, secret string) string {
	s.t.Helper()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	s.form("/api/v2/tenant/token", map[string]string{"grant_type": "client_credentials", "client_id": clientID, "client_secret": secret}).data(s.t, &tok)
	return tok.AccessToken
}

// call sends a request with an access token (none if ""): for GET, path
// carries the query string; for POST, body is JSON. header holds more
// header names and values, in pairs.
func (s *server) call(token, method, path, body string, header ...string) *reply {
	s.t.Helper()
	req := httptestRequest(method, path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return s.do(req)
}

// httptestRequest returns a request with a JSON body, which the source
// documents' curl examples declare even on GET.
func httptestRequest(method, path, body string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	return req
}

// get sends a GET of path with query and an access token.
func (s *server) get(token, path string, query map[string]string, header ...string) *reply {
	s.t.Helper()
	vs := url.Values{}
	for k, v := range query {
		vs.Set(k, v)
	}
	return s.call(token, http.MethodGet, path+"?"+vs.Encode(), "", header...)
}

// post sends params as a JSON object with an access token.
func (s *server) post(token, path string, params map[string]string, header ...string) *reply {
	s.t.Helper()
	b, err := json.Marshal(params)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.call(token, http.MethodPost, path, string(b), header...)
}

// data fails the test unless r is a success, and decodes its data (v5,
// application portal) or body (tenant v2, token) into v.
func (r *reply) data(t testing.TB, v any) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("got %d, want 200: %s", r.Status, r.Body)
	}
	if v != nil {
		if err := json.Unmarshal(r.Data, v); err != nil {
			t.Fatalf("data: %v: %s", err, r.Body)
		}
	}
}

// refused fails the test unless r is a refusal with status and the family's
// code, whose message blames field (when not "").
func (r *reply) refused(t testing.TB, status int, code, field string) {
	t.Helper()
	if r.Status != status || r.Code != code {
		t.Fatalf("got %d %s, want %d %s: %s", r.Status, r.Code, status, code, r.Body)
	}
	if field != "" && !strings.HasPrefix(r.Message, field+": ") {
		t.Fatalf("message %q does not blame %s", r.Message, field)
	}
}

// example returns the example answer of an operation with status 200 in the
// OpenAPI document.
func example(t *testing.T, method, path string) any {
	t.Helper()
	doc, err := openapiDoc()
	if err != nil {
		t.Fatal(err)
	}
	item := doc.Paths.Find(path)
	if item == nil || item.GetOperation(method) == nil {
		t.Fatalf("the document has no %s %s", method, path)
	}
	ex := item.GetOperation(method).Responses.Status(http.StatusOK).Value.Content.Get("application/json").Example
	b, _ := json.Marshal(ex)
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// bearerCase is one request to an endpoint of a bearer family.
type bearerCase struct {
	family  string // v5, tenant or portal
	name    string
	path    string // as the OpenAPI document names it
	request func(token string, header ...string) *reply
}

// unauthorized is the code of a missing or bad token in each family.
var unauthorized = map[string]string{"v5": "40100", "tenant": "AUTH.0001", "portal": "31401"}

// everyEndpoint returns a read-only request to every endpoint of the three
// families that succeeds with a token of a (writes repeat a change already
// made, so they change nothing), for user u of a's team with mobile
// 86-national and email.
func (s *server) everyEndpoint(a app, u, national, email string) []bearerCase {
	v5 := func(name, method, path string, params map[string]string) bearerCase {
		path = "/api/v5/entity/" + path
		return bearerCase{"v5", name, path, func(token string, header ...string) *reply {
			params["corp_id"] = a.teamID
			if method == http.MethodGet {
				return s.get(token, path, params, header...)
			}
			return s.post(token, path, params, header...)
		}}
	}
	return []bearerCase{
		v5("create", http.MethodPost, "user/create", map[string]string{"area_code": "86", "mobile": national}),
		v5("profile", http.MethodGet, "profile/fetch", map[string]string{"user_id": u}),
		v5("owner", http.MethodPost, "user/owner/update", map[string]string{"user_id": u, "owner_id": u, "event_type": "remove"}),
		v5("pool", http.MethodPost, "user/pool/update", map[string]string{"user_id": u, "pool": "alive"}),
		v5("email", http.MethodPost, "user/email/update", map[string]string{"user_id": u, "email": email}),
		v5("contact", http.MethodGet, "user/contact/fetch", map[string]string{"user_id": u, "contact_type": "mobile"}),
		{"tenant", "by mobile", "/api/v2/tenant/users/user-by-mobile", func(token string, header ...string) *reply {
			return s.post(token, "/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": national}, header...)
		}},
		{"tenant", "by id", "/api/v2/tenant/users/{user_id}", func(token string, header ...string) *reply {
			return s.call(token, http.MethodGet, "/api/v2/tenant/users/"+u, "", header...)
		}},
		{"portal", "getUserBaseInfo", "/app-portal-service/v2.2/user/getUserBaseInfo", func(token string, header ...string) *reply {
			return s.post(token, "/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": a.teamID, "email": email}, header...)
		}},
	}
}

// created creates a user through v5 and returns their ID.
func (s *server) created(a app, national, email string) string {
	s.t.Helper()
	var res struct {
		UserID string `json:"user_id"`
	}
	s.post(a.token, "/api/v5/entity/user/create", map[string]string{"corp_id": a.teamID, "area_code": "86", "mobile": national, "email": email}).data(s.t, &res)
	return res.UserID
}

// TestBearerAuthentication checks the token step of every endpoint of the
// three families: a token and a matching X-APP-ID are needed.
func TestBearerAuthentication(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", ""), "all")
		other := s.newApp(s.newTeam("Other", ""), "all")
		u := s.created(a, "15204130007", "amy@example.com")
		cases := s.everyEndpoint(a, u, "15204130007", "amy@example.com")
		for _, c := range cases {
			t.Run(c.family+" "+c.name, func(t *testing.T) {
				code := unauthorized[c.family]
				c.request(a.token).data(t, nil)
				c.request(a.token, "X-APP-ID", a.clientID).data(t, nil)
				c.request(a.token, "X-APP-ID", "").data(t, nil)
				c.request("").refused(t, http.StatusUnauthorized, code, "access_token")
				c.request("not-a-token").refused(t, http.StatusUnauthorized, code, "access_token")
				c.request(a.token, "X-APP-ID", other.clientID).refused(t, http.StatusUnauthorized, code, "X-APP-ID")
				c.request(a.token, "X-APP-ID", "nope").refused(t, http.StatusUnauthorized, code, "X-APP-ID")
				c.request("", "Authorization", "Basic "+a.token).refused(t, http.StatusUnauthorized, code, "access_token")
			})
		}
		t.Run("expired token", func(t *testing.T) {
			s.clock.Advance(30*time.Minute - time.Second)
			fresh := s.tokenFor(a.clientID, a.secret)
			for _, c := range cases {
				c.request(a.token).data(t, nil)
			}
			s.clock.Advance(time.Second)
			for _, c := range cases {
				c.request(a.token).refused(t, http.StatusUnauthorized, unauthorized[c.family], "access_token")
				c.request(fresh).data(t, nil)
			}
		})
	})
}

// TestReadOnlyApplication checks that an application with "read" reads
// through every family and writes nothing, and that the OpenAPI document
// says so: the scopes of the writes are all or user_all.
func TestReadOnlyApplication(t *testing.T) {
	doc, err := openapiDoc()
	if err != nil {
		t.Fatal(err)
	}
	eachBackend(t, func(t *testing.T, s *server) {
		teamID := s.newTeam("Acme", "")
		writer := s.newApp(teamID, "user_all")
		u := s.created(writer, "15204130007", "amy@example.com")
		for _, perms := range []string{"read", "user_read"} {
			reader := s.newApp(teamID, perms)
			for _, c := range s.everyEndpoint(reader, u, "15204130007", "amy@example.com") {
				r := c.request(reader.token)
				write := c.name == "create" || c.name == "owner" || c.name == "pool" || c.name == "email"
				if write {
					r.refused(t, http.StatusForbidden, "40300", "")
				} else {
					r.data(t, nil)
				}
				if grants(doc, c.path, perms) == write {
					t.Errorf("%s: the document's security disagrees with the answer %d to a token with %s", c.path, r.Status, perms)
				}
			}
		}
	})
}

// grants reports whether the security of the one operation of path in doc
// admits an access token with the permission code perm: whether one of its
// requirements asks for no scope of applicationToken but perm.
func grants(doc *openapi3.T, path, perm string) bool {
	for _, op := range doc.Paths.Find(path).Operations() {
		for _, req := range *op.Security {
			scopes, ok := req["applicationToken"]
			if ok && !slices.ContainsFunc(scopes, func(s string) bool { return s != perm }) {
				return true
			}
		}
	}
	return false
}

// TestTeamIsolation checks that a token of team B learns nothing about a
// user of team A through any endpoint, except that v5 create reports that a
// contact exists, as documented.
func TestTeamIsolation(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("A", "a.example"), "all")
		b := s.newApp(s.newTeam("B", "b.example"), "all")
		userA := s.created(a, "15204130007", "amy@a.example")
		userB := s.created(b, "13888888888", "bob@b.example")
		secretsOfA := []string{userA, "amy@a.example", "15204130007", a.teamID}
		noneOfA := func(t *testing.T, r *reply) {
			t.Helper()
			for _, v := range secretsOfA {
				if bytes.Contains(r.Body, []byte(v)) {
					t.Errorf("an answer to team B carries %s of team A: %s", v, r.Body)
				}
			}
		}
		// B names A's user, A's contacts or A itself.
		asB := s.everyEndpoint(b, userA, "15204130007", "amy@a.example")
		for _, c := range asB {
			if c.name == "create" {
				continue // creating by A's contact is the documented exception; below
			}
			t.Run(c.family+" "+c.name, func(t *testing.T) {
				r := c.request(b.token)
				switch c.family {
				case "tenant":
					r.refused(t, http.StatusBadRequest, "USER.0001", "")
				case "portal":
					r.refused(t, http.StatusNotFound, "31404", "")
				default:
					r.refused(t, http.StatusNotFound, "40400", "user_id")
				}
				noneOfA(t, r)
			})
		}
		for _, c := range s.everyEndpoint(app{teamID: a.teamID}, userB, "13888888888", "bob@b.example") {
			if c.family == "tenant" {
				continue // the tenant family names no team
			}
			t.Run("team A named: "+c.family+" "+c.name, func(t *testing.T) {
				r := c.request(b.token)
				if c.family == "portal" {
					r.refused(t, http.StatusNotFound, "31404", "organizationId")
				} else {
					r.refused(t, http.StatusNotFound, "40400", "corp_id")
				}
				noneOfA(t, r)
			})
		}
		t.Run("owner from another team", func(t *testing.T) {
			r := s.post(b.token, "/api/v5/entity/user/owner/update", map[string]string{"corp_id": b.teamID, "user_id": userB, "owner_id": userA, "event_type": "add"})
			r.refused(t, http.StatusNotFound, "40400", "owner_id")
			noneOfA(t, r)
		})
		t.Run("portal by name and phone", func(t *testing.T) {
			for _, q := range []map[string]string{
				{"phoneArea": "86", "phone": "15204130007"},
				{"email": "amy@a.example", "name": ""},
				{"name": "anyone", "domain": "a.example"},
			} {
				q["organizationId"] = b.teamID
				r := s.post(b.token, "/app-portal-service/v2.2/user/getUserBaseInfo", q)
				r.refused(t, http.StatusNotFound, "31404", "")
				noneOfA(t, r)
			}
		})
		t.Run("v5 create with A's contact", func(t *testing.T) {
			var res struct {
				UserID       string `json:"user_id"`
				IsUserExists bool   `json:"is_user_exists"`
			}
			s.post(b.token, "/api/v5/entity/user/create", map[string]string{"corp_id": b.teamID, "area_code": "86", "mobile": "15204130007"}).data(t, &res)
			if res.UserID != userA || !res.IsUserExists {
				t.Fatalf("create with a contact of team A: %+v", res)
			}
			// The user is now a member of B, who sees B alone.
			var u map[string]any
			r := s.call(b.token, http.MethodGet, "/api/v2/tenant/users/"+userA, "")
			r.data(t, &u)
			rel := []any{map[string]any{"org_id": b.teamID, "relation_type": 0.0}}
			if u["org_id"] != b.teamID || !equalJSON(u["user_org_relation_list"], rel) || bytes.Contains(r.Body, []byte(a.teamID)) {
				t.Errorf("a user of A and B, seen from B: %s", r.Body)
			}
			// B may not change the email of an account A created.
			s.post(b.token, "/api/v5/entity/user/email/update", map[string]string{"corp_id": b.teamID, "user_id": userA, "email": "taken@b.example"}).
				refused(t, http.StatusForbidden, "40300", "email")
		})
	})
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// TestOneStoreFourFaces checks that a user created through v5 in a team
// signed up through 689Cloud is found through tenant v2 and the
// application portal and listed by 689Cloud.
func TestOneStoreFourFaces(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamID, session := s.activeTeam("admin@nit-software.com")
		created, err := s.svc.CreateApplication(context.Background(), teamID, "crm", team.Permissions{team.PermAll})
		if err != nil {
			t.Fatal(err)
		}
		s.secrets = append(s.secrets, created.Secret)
		a := app{teamID: teamID, clientID: created.Application.ClientID, secret: created.Secret}
		a.token = s.tokenFor(a.clientID, a.secret)

		u := s.created(a, "15204130007", "Amy@Example.com")

		var byMobile, byID map[string]any
		s.post(a.token, "/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": "+86 152 0413 0007"}).data(t, &byMobile)
		s.call(a.token, http.MethodGet, "/api/v2/tenant/users/"+u, "").data(t, &byID)
		if byMobile["user_id"] != u || byMobile["org_id"] != teamID || byMobile["email"] != "Amy@Example.com" || !equalJSON(byMobile, byID) {
			t.Errorf("tenant v2: by mobile %v, by ID %v", byMobile, byID)
		}

		var found struct {
			Users []struct {
				ID    string `json:"id"`
				Email string `json:"email"`
			} `json:"users"`
		}
		s.post(a.token, "/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": teamID, "phoneArea": "86", "phone": "15204130007"}).data(t, &found)
		if len(found.Users) != 1 || found.Users[0].ID != u || found.Users[0].Email != "Amy@Example.com" {
			t.Errorf("getUserBaseInfo: %+v", found)
		}

		var list struct {
			Data []user `json:"data"`
		}
		s.form("/api/user/list", map[string]string{"auth_token": session, "search_key": "amy@example"}).ok(t, &list)
		if len(list.Data) != 1 || list.Data[0].UserID != u || list.Data[0].TeamID != teamID || list.Data[0].Status != 1 || list.Data[0].RoleID != 3 {
			t.Errorf("689Cloud list: %+v", list.Data)
		}

		// A member created through 689Cloud is found through the others.
		m := s.create(session, "le.hieu@nit-software.com", member)
		var profile struct {
			FirstName *string `json:"first_name"`
			Name      *string `json:"name"`
		}
		s.get(a.token, "/api/v5/entity/profile/fetch", map[string]string{"corp_id": teamID, "user_id": m.UserID}).data(t, &profile)
		if profile.Name == nil || *profile.Name != "First Last" || *profile.FirstName != "First" {
			t.Errorf("v5 profile of a 689Cloud member: %+v", profile)
		}
		s.post(a.token, "/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": teamID, "name": "First Last"}).data(t, &found)
		if len(found.Users) != 1 || found.Users[0].ID != m.UserID {
			t.Errorf("getUserBaseInfo by name: %+v", found)
		}
	})
}

// TestBearerPrefix checks the token endpoint and the three families under
// a mount prefix.
func TestBearerPrefix(t *testing.T) {
	s := newServer(t, storagetest.SQLite(t), httpapi.Options{Prefix: "/identity/"})
	teamID := s.newTeam("Acme", "")
	created, err := s.svc.CreateApplication(context.Background(), teamID, "crm", team.Permissions{team.PermAll})
	if err != nil {
		t.Fatal(err)
	}
	s.secrets = append(s.secrets, created.Secret)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	s.send(http.MethodPost, "/identity/api/v2/tenant/token", formType, strings.NewReader(grant(created.Application.ClientID, created.Secret)), nil).data(t, &tok)
	var res created5
	s.post(tok.AccessToken, "/identity/api/v5/entity/user/create", map[string]string{"corp_id": teamID, "email": "amy@example.com"}).data(t, &res)
	s.call(tok.AccessToken, http.MethodGet, "/identity/api/v2/tenant/users/"+res.UserID, "").data(t, nil)
	s.post(tok.AccessToken, "/identity/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": teamID, "email": "amy@example.com"}).data(t, nil)
	s.call(tok.AccessToken, http.MethodGet, "/identity/api/v2/tenant/users/", "").refused(t, http.StatusNotFound, "API.0001", "")
	s.call(tok.AccessToken, http.MethodGet, "/identity/api/v5/entity/nope", "").refused(t, http.StatusNotFound, "40400", "")
}

// operatorMember creates a member of a team with names through the Go API
// and returns their ID.
func (s *server) operatorMember(teamID, first, last, email string) string {
	s.t.Helper()
	in := identity.NewMember{Email: email, Password: password, Role: 3}
	in.Names.First, in.Names.Last = first, last
	m, err := s.svc.CreateMember(context.Background(), identity.Operator(teamID), in)
	if err != nil {
		s.t.Fatal(err)
	}
	return m.User.ID
}

// FuzzBearerRequest checks that no query string or body makes the token
// endpoint or the families that take access tokens fail or answer outside
// their envelope.
func FuzzBearerRequest(f *testing.F) {
	for _, seed := range []struct{ query, contentType, body string }{
		{"corp_id=x&user_id=y", "application/json", `{"corp_id":"x","area_code":"86","mobile":"13888888888"}`},
		{"corp_id=%zz", "application/x-www-form-urlencoded", "mobile=152+0413+0007&organizationId=x&email=a%40b.c"},
		{"a=1&a=2", "application/json", `{"mobile":{"a":[1]}}`},
		{"", "application/json", `[1,2`},
		{"", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"mobile\"\r\n\r\n+86-15204130007\r\n--x--\r\n"},
		{"", "text/csv", "a,b"},
		{"", "", ""},
	} {
		f.Add(seed.query, seed.contentType, seed.body)
	}
	s := newServer(f, storagetest.SQLite(f), httpapi.Options{MaxBodyBytes: 4096})
	a := s.newApp(s.newTeam("Fuzz", ""), "all")
	f.Fuzz(func(t *testing.T, query, contentType, body string) {
		for _, e := range []struct{ method, path string }{
			{http.MethodPost, "/api/v2/tenant/token"},
			{http.MethodGet, "/api/v5/entity/profile/fetch"},
			{http.MethodPost, "/api/v5/entity/user/create"},
			{http.MethodPost, "/api/v2/tenant/users/user-by-mobile"},
			{http.MethodPost, "/app-portal-service/v2.2/user/getUserBaseInfo"},
		} {
			req := httptest.NewRequest(e.method, e.path, strings.NewReader(body))
			req.URL.RawQuery = query
			req.Header.Set("Content-Type", contentType)
			req.Header.Set("Authorization", "Bearer "+a.token)
			rec := httptest.NewRecorder()
			s.handler.ServeHTTP(rec, req)
			r := &reply{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
			if err := familyOf(e.path).envelope(r); err != nil || r.Status == http.StatusInternalServerError {
				t.Fatalf("%s %s: %d, %v: %s", e.method, e.path, r.Status, err, r.Body)
			}
		}
	})
}
