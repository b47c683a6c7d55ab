package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

// recordingMux is the Mux the isolation and leak tests mount on: it
// registers every pattern on a real ServeMux, which serves the requests,
// keeps the patterns in the order Mount registered them, and counts the
// requests each pattern served. The routes under test are therefore those
// Mount registers, not a list kept by hand.
type recordingMux struct {
	mux      *http.ServeMux
	patterns []string
	mu       sync.Mutex
	hits     map[string]int
}

func (m *recordingMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		m.hits[pattern]++
		m.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
}

func (m *recordingMux) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.mux.ServeHTTP(w, r) }

// served returns how many requests pattern has served.
func (m *recordingMux) served(pattern string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits[pattern]
}

// unserved returns the mounted patterns no request has reached.
func (m *recordingMux) unserved() []string {
	var none []string
	for _, p := range m.patterns {
		if m.served(p) == 0 {
			none = append(none, p)
		}
	}
	return none
}

// remount mounts the server's service again, on a recording mux, and makes
// that mux the server's handler.
func (s *server) remount(opts httpapi.Options) *recordingMux {
	m := &recordingMux{mux: http.NewServeMux(), hits: map[string]int{}}
	if opts.Logger == nil {
		opts.Logger = slogTo(s.logs)
	}
	mountAll(m, s.svc, opts)
	s.handler = m
	return m
}

// openapiReply gets the endpoint reference, which belongs to no family, so
// the family checks of do do not apply; its Content-Type must be JSON.
func (s *server) openapiReply(token, query string) *reply {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/openapi.json?"+query, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Fatalf("GET /openapi.json: Content-Type %q", ct)
	}
	return &reply{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// isoUser is a user of team A.
type isoUser struct {
	id, email, first, last string
	national               string // the mobile, national (CN) digits; "" for none
}

// attributes are what A records about u beyond names, which no endpoint
// writes: a job title, department, employee ID, city and a value of the
// extension.
func (u isoUser) attributes() []string {
	return []string{u.first + " Wrangler", "Quasar " + u.last + " Ops", "AQ-EMP-" + u.last, "Quasarville " + u.last, "AQ-NOTE-" + u.last}
}

// contacts are u's ID, address and mobile in every form: the user's own and
// global, which a team that has added u may read.
func (u isoUser) contacts() []string {
	c := []string{u.id, u.email}
	if n := u.national; n != "" {
		c = append(c, "+86"+n, "+86-"+n, n)
	}
	return c
}

// isoA is team A, the victim: its identifiers and the credentials of its
// own admin and application, which B never uses.
type isoA struct {
	teamID, name, domain, phone, website string
	projectID, project                   string
	session                              string // the admin's
	sessionID                            string // its public ID, as sessions lists it
	app                                  app
	admin, manager, member               isoUser
	// shared5 and shared689 are the users B adds to its own team by their
	// contacts, as v5 user/create and 689Cloud create document.
	shared5, shared689 isoUser
}

func (a *isoA) users() []isoUser {
	return []isoUser{a.admin, a.manager, a.member, a.shared5, a.shared689}
}

// isoDatum is one identifier or value of team A.
type isoDatum struct{ what, value string }

// data is every identifier and value of A that B must never see: IDs,
// names, the domain and phone, emails as typed and normalized, mobiles in
// every form.
func (a *isoA) data() []isoDatum {
	d := []isoDatum{
		{"A's team ID", a.teamID}, {"A's team name", a.name}, {"A's domain", a.domain},
		{"A's team phone", a.phone}, {"A's website", a.website}, {"A's project ID", a.projectID},
		{"A's project name", a.project}, {"A's client ID", a.app.clientID}, {"the ID of A's admin session", a.sessionID},
	}
	for _, u := range a.users() {
		d = append(d,
			isoDatum{"the user ID of " + u.first, u.id},
			isoDatum{"the email of " + u.first, u.email},
			isoDatum{"the normalized email of " + u.first, strings.ToLower(u.email)},
			isoDatum{"the first name of " + u.first, u.first},
			isoDatum{"the last name of " + u.first, u.last},
		)
		for _, v := range u.attributes() {
			d = append(d, isoDatum{"what A records of " + u.first, v})
		}
		if n := u.national; n != "" {
			d = append(d,
				isoDatum{"the mobile of " + u.first + " (E.164)", "+86" + n},
				isoDatum{"the mobile of " + u.first + " (dashed)", "+86-" + n},
				isoDatum{"the mobile of " + u.first + " (national)", n},
				isoDatum{"the mobile of " + u.first + " (grouped)", n[:3] + " " + n[3:7] + " " + n[7:]},
			)
		}
	}
	return d
}

// leaks returns what of A's data the answer carries in its headers or body,
// case-insensitively. The values in allow are blanked out first, longest
// first, so that what they contain (the domain of an allowed address) counts
// only where it appears on its own.
func (a *isoA) leaks(r *reply, allow []string) []string {
	var text strings.Builder
	for k, vs := range r.Header {
		fmt.Fprintf(&text, "%s: %s\n", k, strings.Join(vs, ", "))
	}
	text.Write(r.Body)
	haystack := strings.ToLower(text.String())
	allow = slices.Clone(allow)
	slices.SortFunc(allow, func(x, y string) int { return len(y) - len(x) }) // an address before the name in it
	for _, v := range allow {
		haystack = strings.ReplaceAll(haystack, strings.ToLower(v), "\x00")
	}
	var found []string
	for _, d := range a.data() {
		if strings.Contains(haystack, strings.ToLower(d.value)) {
			found = append(found, d.what)
		}
	}
	return found
}

// isoB is team B, the attacker: an admin with two sessions, a member with a
// session, a member created through v5, and an application.
type isoB struct {
	teamID, adminEmail    string
	session, spare        string // the admin's; spare is the one logout ends
	memberSession, userID string
	app                   app
}

// Passwords of the isolation fixture.
const (
	isoPasswordA = "alpha-admin-password"
	isoPasswordB = "bravo-admin-password"
)

// isoSignUp signs a team up through 689Cloud, activates it, and returns its
// ID, its admin's user ID and a session of the admin.
func isoSignUp(s *server, u isoUser, business, phone, pw string) (teamID, userID, session string) {
	s.t.Helper()
	s.form("/api/user/signup", map[string]string{
		"first_name": u.first, "last_name": u.last, "email_address": u.email, "business_name": business,
		"phone": phone, "password": pw, "confirm_password": pw, "plan_id": "1",
	}).ok(s.t, nil)
	n := s.box.Last(s.t, u.email)
	s.form("/api/user/activation", map[string]string{"activation_code": n.Code}).ok(s.t, nil)
	return n.TeamID, n.UserID, s.login(u.email, pw, n.TeamID)
}

// isoSetUpA builds team A: an admin signed up through 689Cloud; a manager,
// a member and two more users imported with names, emails, mobiles and
// passwords; a domain, website and phone; a project with three members; an
// owner and a pool set through v5 with A's own application.
func isoSetUpA(s *server) *isoA {
	s.t.Helper()
	ctx := context.Background()
	a := &isoA{
		name: "Alpha Quasar Labs", domain: "alpha-quasar.example", phone: "+86 10 6555 0100",
		website: "https://www.alpha-quasar.example", project: "Nebula Quarry",
		admin:     isoUser{email: "Aurelio.Quintavalle@Alpha-Quasar.example", first: "Aurelio", last: "Quintavalle"},
		manager:   isoUser{email: "Marisol.Quennell@Alpha-Quasar.example", first: "Marisol", last: "Quennell", national: "13911110002"},
		member:    isoUser{email: "Mirabel.Quorthon@Alpha-Quasar.example", first: "Mirabel", last: "Quorthon", national: "13911110003"},
		shared5:   isoUser{email: "Sorrel.Quaday@Alpha-Quasar.example", first: "Sorrel", last: "Quaday", national: "13911110004"},
		shared689: isoUser{email: "Saffron.Quibley@Alpha-Quasar.example", first: "Saffron", last: "Quibley", national: "13911110005"},
	}
	a.teamID, a.admin.id, a.session = isoSignUp(s, a.admin, a.name, a.phone, isoPasswordA)
	var sessions []struct {
		ID string `json:"id"`
	}
	s.form("/api/user/sessions", map[string]string{"auth_token": a.session}).ok(s.t, &sessions)
	a.sessionID = sessions[0].ID
	if _, err := s.svc.UpdateTeam(ctx, identity.Operator(a.teamID), a.teamID,
		team.Profile{Name: a.name, Phone: a.phone, Website: a.website, Domain: a.domain, Region: "CN"}); err != nil {
		s.t.Fatal(err)
	}

	csv := "mail_address,first_name,last_name,password,role,mobile\n"
	for _, u := range []struct {
		u    isoUser
		role string
	}{{a.manager, manager}, {a.member, member}, {a.shared5, member}, {a.shared689, member}} {
		csv += strings.Join([]string{u.u.email, u.u.first, u.u.last, isoPasswordA, u.role, u.u.national}, ",") + "\n"
	}
	s.multipart("/api/user/importusercsv", map[string]string{"auth_token": a.session}, csv).ok(s.t, nil)
	listed, _, err := s.svc.ListMembers(ctx, identity.Operator(a.teamID), team.ListQuery{Sort: team.SortEmailAsc, Size: 1000})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, m := range listed {
		for _, u := range []*isoUser{&a.manager, &a.member, &a.shared5, &a.shared689} {
			if strings.EqualFold(m.User.Email.Display, u.email) {
				u.id = m.User.ID
			}
		}
	}

	for _, u := range a.users() {
		isoRecord(s, a.teamID, u)
	}
	a.app = s.newApp(a.teamID, "all")
	v5 := func(path string, params map[string]string) {
		params["corp_id"] = a.teamID
		s.post(a.app.token, "/api/v5/entity/"+path, params).data(s.t, nil)
	}
	v5("user/owner/update", map[string]string{"user_id": a.member.id, "owner_id": a.manager.id, "event_type": "add"})
	v5("user/pool/update", map[string]string{"user_id": a.member.id, "pool": "dead"})

	p, err := s.svc.CreateProject(ctx, a.teamID, a.project)
	if err != nil {
		s.t.Fatal(err)
	}
	a.projectID = p.ID
	for role, u := range []isoUser{a.admin, a.manager, a.member} {
		if err := s.svc.AddProjectMember(ctx, p.ID, u.id, role+1); err != nil {
			s.t.Fatal(err)
		}
	}
	return a
}

// isoRecord writes u's attributes to their membership of team A.
func isoRecord(s *server, teamID string, u isoUser) {
	s.t.Helper()
	ctx := context.Background()
	err := s.svc.Store().Write(ctx, func(tx storage.Tx) error {
		m, err := tx.Membership(ctx, teamID, u.id)
		if err != nil {
			return err
		}
		v := u.attributes()
		m.JobTitle, m.Department, m.EmployeeID, m.City, m.Extension = v[0], v[1], v[2], v[3], map[string]any{"note": v[4]}
		return tx.UpdateMembership(ctx, m)
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

// isoSetUpB builds team B, which attacks A with its admin's sessions, a
// member's session and a token with every permission.
func isoSetUpB(s *server) *isoB {
	s.t.Helper()
	admin := isoUser{email: "bertram.bly@bravo-team.example", first: "Bertram", last: "Bly"}
	b := &isoB{adminEmail: admin.email}
	b.teamID, _, b.session = isoSignUp(s, admin, "Bravo Team", "+86 21 5555 0199", isoPasswordB)
	b.spare = s.login(admin.email, isoPasswordB, b.teamID)
	_, b.memberSession = s.member(b.session, b.teamID, "bianca@bravo-team.example", member)
	b.app = s.newApp(b.teamID, "all")
	b.userID = s.created(b.app, "13922220001", "bo@bravo-team.example")
	return b
}

// probe is one request of team B aimed at team A.
type probe struct {
	name   string
	send   func() *reply
	status int    // the HTTP status B must get
	blame  string // the field a refusal must blame, if any
	// allow are the values of A this answer may carry, and exact checks the
	// answer, for the few documented exceptions only.
	allow []string
	exact func(t *testing.T, r *reply)
	// last marks a probe that adds a user of A to B, as documented: it runs
	// after every other probe, so that user is A's alone until then.
	last bool
	// joined marks a probe that reads or changes, as B, a user of A that the
	// last probes added to B: it runs after them. B may read the user's
	// contacts, never what A recorded.
	joined bool
}

// isolationMatrix is a row of probes for every route Mount registers, keyed
// by its pattern: B's session or token, with A's IDs, contacts and names in
// the parameters and paths.
func isolationMatrix(s *server, a *isoA, b *isoB) map[string][]probe {
	as := func(session, path string, params map[string]string) func() *reply {
		return func() *reply {
			p := map[string]string{}
			maps.Copy(p, params)
			if session != "" {
				p["auth_token"] = session
			}
			return s.form("/api/user/"+path, p)
		}
	}
	asAdmin := func(path string, params map[string]string) func() *reply { return as(b.session, path, params) }
	anyone := func(path string, params map[string]string) func() *reply { return as("", path, params) }
	csv := func(body string) func() *reply {
		return func() *reply {
			return s.multipart("/api/user/importusercsv", map[string]string{"auth_token": b.session}, body)
		}
	}
	get := func(path string, query map[string]string) func() *reply {
		return func() *reply { return s.get(b.app.token, path, query) }
	}
	post := func(path string, params map[string]string) func() *reply {
		return func() *reply { return s.post(b.app.token, path, params) }
	}
	raw := func(method, path string) func() *reply {
		return func() *reply { return s.call(b.app.token, method, path, "") }
	}
	token := func(clientID, secret string) func() *reply {
		return func() *reply {
			return s.form("/api/v2/tenant/token", map[string]string{"grant_type": "client_credentials", "client_id": clientID, "client_secret": secret})
		}
	}
	about := func(path, clientID, secret, token string) func() *reply {
		return func() *reply { return s.oauthRequest(path, "192.0.2.1", formType, withToken(clientID, secret, token)) }
	}
	inactive := func(t *testing.T, r *reply) {
		if !equalJSONText(r.Data, `{"active":false}`) {
			t.Errorf("introspection of A's token by B: %s", r.Data)
		}
	}
	const v5, portal = "/api/v5/entity/", "/app-portal-service/v2.2/user/getUserBaseInfo"
	names := map[string]string{"first_name": "Pwned", "last_name": "ByBravo"}
	with := func(m map[string]string, kv ...string) map[string]string {
		m = maps.Clone(m)
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	notFoundInB := func(send func(id string) func() *reply, field string, status int, users ...isoUser) []probe {
		var ps []probe
		for _, u := range users {
			ps = append(ps, probe{name: "A's " + u.first, send: send(u.id), status: status, blame: field})
		}
		return ps
	}
	m := map[string][]probe{
		// The unauthenticated login flow of 689Cloud.
		"/api/user/signup": {
			{name: "A's admin email", status: 409, blame: "email_address", send: anyone("signup", map[string]string{
				"first_name": "Bertram", "last_name": "Bly", "email_address": a.admin.email, "business_name": "Bravo Again",
				"phone": "+86 21 5555 0199", "password": isoPasswordB, "confirm_password": isoPasswordB, "plan_id": "1",
			})},
			{name: "A's admin email, other case", status: 409, blame: "email_address", send: anyone("signup", map[string]string{
				"first_name": "Bertram", "last_name": "Bly", "email_address": "  " + strings.ToUpper(a.admin.email) + " ", "business_name": a.name,
				"phone": a.phone, "password": isoPasswordB, "confirm_password": isoPasswordB, "plan_id": "1",
			})},
		},
		"/api/user/activation": {
			{name: "A's team ID as code", status: 400, blame: "activation_code", send: anyone("activation", map[string]string{"activation_code": a.teamID})},
			{name: "A's admin ID as code", status: 400, blame: "activation_code", send: anyone("activation", map[string]string{"activation_code": a.admin.id, "password": isoPasswordB})},
		},
		"/api/user/forgotpassword": {
			{name: "A's admin email", status: 200, send: anyone("forgotpassword", map[string]string{"email_address": a.admin.email})},
		},
		"/api/user/resetpassword": {
			{name: "A's admin ID as code", status: 400, blame: "reset_code", send: anyone("resetpassword", map[string]string{
				"reset_code": a.admin.id, "new_password": isoPasswordB, "confirm_new_password": isoPasswordB})},
		},
		"/api/user/getactivationcode": {
			{name: "A's admin ID as code", status: 400, blame: "activation_code", send: anyone("getactivationcode", map[string]string{"activation_code": a.admin.id})},
		},
		"/api/user/login/checkmail": {
			// Documented (SPEC-NOTES, 689Cloud login; SECURITY.md): checkmail
			// lists the teams of an address, before anyone logs in. It may
			// show A's team and the names the address is known by, no more.
			{name: "A's admin email", status: 200, send: anyone("login/checkmail", map[string]string{"email_address": a.admin.email}),
				allow: []string{a.teamID, a.name, a.admin.first, a.admin.last, a.admin.email},
				exact: func(t *testing.T, r *reply) {
					want := fmt.Sprintf(`[{"team_id":%q,"team_name":%q,"first_name":%q,"middle_name":null,"last_name":%q,"lang":"auto","email_address":%q}]`,
						a.teamID, a.name, a.admin.first, a.admin.last, a.admin.email)
					if !equalJSONText(r.Env.Result, want) || *r.Env.TotalRecords != 1 {
						t.Errorf("checkmail of A's admin answers %s, want exactly %s", r.Env.Result, want)
					}
				}},
			{name: "A's mobile", status: 400, blame: "email_address", send: anyone("login/checkmail", map[string]string{"email_address": a.member.national})},
		},
		"/api/user/login": {
			{name: "B's admin into A", status: 401, send: anyone("login", map[string]string{"email_address": b.adminEmail, "password": isoPasswordB, "team_id": a.teamID})},
			{name: "A's admin with B's password", status: 401, send: anyone("login", map[string]string{"email_address": a.admin.email, "password": isoPasswordB, "team_id": a.teamID})},
			{name: "A's admin into B", status: 401, send: anyone("login", map[string]string{"email_address": a.admin.email, "password": isoPasswordB, "team_id": b.teamID})},
		},
		"/api/user/logout": {
			{name: "A's team ID as token", status: 401, blame: "auth_token", send: anyone("logout", map[string]string{"access_token": a.teamID})},
			{name: "A's admin ID as token", status: 401, blame: "auth_token", send: anyone("logout", map[string]string{"auth_token": a.admin.id})},
			{name: "B's spare session, A's IDs", status: 200, send: anyone("logout", map[string]string{"access_token": b.spare, "user_id": a.admin.id, "team_id": a.teamID})},
		},

		// 689Cloud with a session of B's admin, or member.
		"/api/user/list": {
			{name: "search A's email", status: 200, send: asAdmin("list", map[string]string{"search_key": a.admin.email, "team_id": a.teamID})},
			{name: "search A's names", status: 200, send: asAdmin("list", map[string]string{"search_key": a.manager.last, "team_id": a.teamID})},
			{name: "search A's domain", status: 200, send: asAdmin("list", map[string]string{"search_key": "alpha-quasar", "sort_key": "1", "page_size": "1000"})},
		},
		"/api/user/project": {
			{name: "A's project", status: 404, blame: "project_id", send: asAdmin("project", map[string]string{"project_id": a.projectID})},
		},
		"/api/user/create": {
			{name: "A's manager as admin", status: 403, send: asAdmin("create", with(names, "mail_address", a.manager.email,
				"password", isoPasswordB, "confirm_password", isoPasswordB, "user_role", admin))},
			// Documented (SPEC-NOTES, 689Cloud create): an email that belongs
			// to a user elsewhere adds that user to the team, credentials
			// untouched. The answer is that user, now B's member, as B knows
			// them: their ID and email, and the names B gave; nothing A
			// recorded.
			{name: "A's user by email (documented join)", status: 200, last: true,
				send: asAdmin("create", with(names, "mail_address", a.shared689.email,
					"password", isoPasswordB, "confirm_password", isoPasswordB, "user_role", member)),
				allow: []string{a.shared689.id, a.shared689.email},
				exact: func(t *testing.T, r *reply) {
					var u user
					r.ok(t, &u)
					if u.UserID != a.shared689.id || u.TeamID != b.teamID || u.RoleID != 3 || u.FirstName != names["first_name"] || u.LastName != names["last_name"] {
						t.Errorf("create of A's user in B answers %s", r.Env.Result)
					}
				}},
		},
		"/api/user/importusercsv": {
			{name: "A's admin email and a bad row", status: 400, send: csv("mail_address,first_name,last_name,role\n" +
				a.admin.email + ",Pwned,ByBravo,3\nnew1@bravo-team.example,Bad,Role,1\n")},
			{name: "A's mobile", status: 400, send: csv("mail_address,first_name,last_name,mobile\nnew2@bravo-team.example,New,Two," + a.member.national + "\n")},
		},
		"/api/user/update": append(
			notFoundInB(func(id string) func() *reply {
				return asAdmin("update", with(names, "user_update_id", id))
			}, "user_update_id", 404, a.admin, a.member),
			probe{name: "A's manager's role", status: 404, blame: "user_update_id", send: asAdmin("update", with(names, "user_update_id", a.manager.id, "role_id", "3"))},
		),
		"/api/user/remove": notFoundInB(func(id string) func() *reply {
			return asAdmin("remove", map[string]string{"user_id": id})
		}, "user_id", 404, a.admin, a.manager, a.member),
		"/api/user/info": {
			{name: "A's IDs", status: 200, send: asAdmin("info", map[string]string{"user_id": a.admin.id, "team_id": a.teamID})},
		},
		"/api/user/profile": notFoundInB(func(id string) func() *reply {
			return asAdmin("profile", map[string]string{"user_id": id, "team_id": a.teamID})
		}, "user_id", 404, a.admin, a.manager, a.member),
		"/api/user/changepassword": {
			{name: "A's admin ID", status: 400, blame: "confirm_old_password", send: as(b.memberSession, "changepassword", map[string]string{
				"user_id": a.admin.id, "confirm_old_password": isoPasswordA, "new_password": isoPasswordB, "confirm_new_password": isoPasswordB})},
			{name: "own, with A's IDs", status: 200, send: as(b.memberSession, "changepassword", map[string]string{
				"user_id": a.admin.id, "team_id": a.teamID, "confirm_old_password": password, "new_password": isoPasswordB, "confirm_new_password": isoPasswordB})},
		},
		"/api/user/changeemail": {
			{name: "A's admin email", status: 200, send: as(b.memberSession, "changeemail", map[string]string{"mail_adress": a.admin.email})},
			{name: "A's manager email, upper case", status: 200, send: as(b.memberSession, "changeemail", map[string]string{"mail_address": strings.ToUpper(a.manager.email)})},
		},
		"/api/user/sessions": {
			{name: "own, with A's IDs", status: 200, send: asAdmin("sessions", map[string]string{"user_id": a.admin.id, "team_id": a.teamID})},
		},
		"/api/user/sessions/revoke": append(
			notFoundInB(func(id string) func() *reply {
				return asAdmin("sessions/revoke", map[string]string{"user_id": id, "all": "true"})
			}, "user_id", 404, a.admin, a.manager, a.member),
			probe{name: "A's admin session ID", status: 404, blame: "session_id", send: asAdmin("sessions/revoke", map[string]string{"session_id": a.sessionID})},
			probe{name: "A's admin and session ID", status: 404, blame: "user_id", send: asAdmin("sessions/revoke", map[string]string{"user_id": a.admin.id, "session_id": a.sessionID})},
			probe{name: "A's session ID, as B's member", status: 404, blame: "session_id", send: as(b.memberSession, "sessions/revoke", map[string]string{"session_id": a.sessionID})},
		),
		"/api/user/events": {
			{name: "A's admin ID and team", status: 200, send: asAdmin("events", map[string]string{"user_id": a.admin.id, "team_id": a.teamID})},
			{name: "every event, with A's team", status: 200, send: asAdmin("events", map[string]string{"team_id": a.teamID, "page_size": "1000"})},
			{name: "A's admin ID, as B's member", status: 403, send: as(b.memberSession, "events", map[string]string{"user_id": a.admin.id})},
			// B's events about a user of A that B added: B's own, never A's.
			{name: "A's shared user, once in B", status: 200, joined: true, allow: []string{a.shared689.id}, send: asAdmin("events", map[string]string{"user_id": a.shared689.id})},
		},
		"/api/user/getteam": {
			{name: "A's team", status: 404, blame: "team_id", send: asAdmin("getteam", map[string]string{"team_id": a.teamID})},
		},
		"/api/user/updateteamprofile": {
			{name: "A's team", status: 404, blame: "team_update_id", send: asAdmin("updateteamprofile", map[string]string{
				"team_update_id": a.teamID, "team_name": "Pwned", "phone_number": "1", "company_size": "1-10"})},
		},
		"/api/user/": {
			{name: "A's user in the path", status: 404, send: asAdmin(a.admin.id, nil)},
			{name: "A's user under profile", status: 404, send: asAdmin("profile/"+a.admin.id, nil)},
			{name: "A's team under getteam", status: 404, send: asAdmin("getteam/"+a.teamID, nil)},
		},

		// The token endpoint: B's credentials, A's client ID.
		"/api/v2/tenant/token": {
			{name: "A's client ID, B's secret", status: 401, blame: "client_secret", send: token(a.app.clientID, b.app.secret)},
			{name: "B's own credentials", status: 200, send: token(b.app.clientID, b.app.secret)},
		},
		// Revocation and introspection: B's credentials, A's token, which
		// B neither ends nor learns about (the snapshot checks A's token
		// still works).
		revokePath: {
			{name: "A's client ID, B's secret, A's token", status: 401, blame: "client_secret", send: about(revokePath, a.app.clientID, b.app.secret, a.app.token)},
			{name: "no client authentication, A's token", status: 401, blame: "client_id", send: about(revokePath, "", "", a.app.token)},
			{name: "B's credentials, A's token", status: 200, send: about(revokePath, b.app.clientID, b.app.secret, a.app.token)},
		},
		introspectPath: {
			{name: "A's client ID, B's secret, A's token", status: 401, blame: "client_secret", send: about(introspectPath, a.app.clientID, b.app.secret, a.app.token)},
			{name: "B's credentials, A's token", status: 200, send: about(introspectPath, b.app.clientID, b.app.secret, a.app.token), exact: inactive},
		},

		// v5 with B's token.
		v5 + "user/create": {
			{name: "A's corp", status: 404, blame: "corp_id", send: post(v5+"user/create", map[string]string{"corp_id": a.teamID, "email": "new3@bravo-team.example"})},
			// The email of A's admin is taken, so it is not attached to the
			// new user: nothing tells B who holds it.
			{name: "A's admin email with a new mobile", status: 200,
				send: post(v5+"user/create", map[string]string{"corp_id": b.teamID, "area_code": "86", "mobile": "13922220009", "email": a.admin.email}),
				exact: func(t *testing.T, r *reply) {
					var c created5
					r.data(t, &c)
					if c.IsUserExists {
						t.Errorf("a new mobile with A's email answers is_user_exists: %s", r.Body)
					}
				}},
			// Documented (SPEC-NOTES, the one exception of the bearer
			// families): is_user_exists is true for a contact that exists
			// anywhere, and the user is added to B. The answer is the user's
			// ID and that flag, no more.
			{name: "A's user by mobile (documented join)", status: 200, last: true,
				send:  post(v5+"user/create", map[string]string{"corp_id": b.teamID, "area_code": "86", "mobile": a.shared5.national, "email": a.admin.email}),
				allow: []string{a.shared5.id},
				exact: func(t *testing.T, r *reply) {
					want := fmt.Sprintf(`{"user_id":%q,"is_user_exists":true}`, a.shared5.id)
					if !equalJSONText(r.Data, want) {
						t.Errorf("create with A's mobile answers %s, want %s", r.Data, want)
					}
				}},
		},
		v5 + "profile/fetch": append(
			notFoundInB(func(id string) func() *reply {
				return get(v5+"profile/fetch", map[string]string{"corp_id": b.teamID, "user_id": id})
			}, "user_id", 404, a.admin, a.manager, a.member),
			probe{name: "A's corp", status: 404, blame: "corp_id", send: get(v5+"profile/fetch", map[string]string{"corp_id": a.teamID, "user_id": a.admin.id})},
		),
		v5 + "user/owner/update": {
			{name: "A's owner removed", status: 404, blame: "user_id", send: post(v5+"user/owner/update", map[string]string{
				"corp_id": b.teamID, "user_id": a.member.id, "owner_id": a.manager.id, "event_type": "remove"})},
			{name: "A's admin added", status: 404, blame: "user_id", send: post(v5+"user/owner/update", map[string]string{
				"corp_id": b.teamID, "user_id": a.member.id, "owner_id": a.admin.id, "event_type": "add"})},
			{name: "A's manager as B's owner", status: 404, blame: "owner_id", send: post(v5+"user/owner/update", map[string]string{
				"corp_id": b.teamID, "user_id": b.userID, "owner_id": a.manager.id, "event_type": "add"})},
			{name: "A's corp", status: 404, blame: "corp_id", send: post(v5+"user/owner/update", map[string]string{
				"corp_id": a.teamID, "user_id": a.member.id, "owner_id": a.manager.id, "event_type": "remove"})},
		},
		v5 + "user/pool/update": {
			{name: "A's member", status: 404, blame: "user_id", send: post(v5+"user/pool/update", map[string]string{"corp_id": b.teamID, "user_id": a.member.id, "pool": "alive"})},
			{name: "A's corp", status: 404, blame: "corp_id", send: post(v5+"user/pool/update", map[string]string{"corp_id": a.teamID, "user_id": a.member.id, "pool": "alive"})},
		},
		v5 + "user/email/update": {
			{name: "A's member", status: 404, blame: "user_id", send: post(v5+"user/email/update", map[string]string{"corp_id": b.teamID, "user_id": a.member.id, "email": "taken-over@bravo-team.example"})},
			{name: "A's admin email for B's user", status: 409, blame: "email", send: post(v5+"user/email/update", map[string]string{"corp_id": b.teamID, "user_id": b.userID, "email": a.admin.email})},
			{name: "A's corp", status: 404, blame: "corp_id", send: post(v5+"user/email/update", map[string]string{"corp_id": a.teamID, "user_id": a.member.id, "email": "taken-over@bravo-team.example"})},
		},
		v5 + "user/contact/fetch": {
			{name: "A's mobile", status: 404, blame: "user_id", send: get(v5+"user/contact/fetch", map[string]string{"corp_id": b.teamID, "user_id": a.member.id, "contact_type": "mobile"})},
			{name: "A's email", status: 404, blame: "user_id", send: get(v5+"user/contact/fetch", map[string]string{"corp_id": b.teamID, "user_id": a.admin.id, "contact_type": "email"})},
			{name: "A's corp", status: 404, blame: "corp_id", send: get(v5+"user/contact/fetch", map[string]string{"corp_id": a.teamID, "user_id": a.member.id, "contact_type": "mobile"})},
		},
		v5: {
			{name: "A's user in the path", status: 404, send: get(v5+a.member.id, map[string]string{"corp_id": a.teamID})},
			{name: "A's user under user/", status: 404, send: post(v5+"user/"+a.member.id, map[string]string{"corp_id": a.teamID})},
		},

		// Tenant v2 with B's token: a user outside B does not exist.
		"/api/v2/tenant/users/user-by-mobile": {
			{name: "E.164", status: 400, send: post("/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": "+86" + a.member.national})},
			{name: "dashed", status: 400, send: post("/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": "+86-" + a.member.national})},
			{name: "national", status: 400, send: post("/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": a.manager.national})},
			{name: "with spaces", status: 400, send: post("/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": "+86 139 1111 0002"})},
		},
		"/api/v2/tenant/users/{user_id}": append(
			notFoundInB(func(id string) func() *reply {
				return raw(http.MethodGet, "/api/v2/tenant/users/"+id)
			}, "", 400, a.admin, a.manager, a.member),
			probe{name: "A's team ID", status: 400, send: raw(http.MethodGet, "/api/v2/tenant/users/"+a.teamID)},
		),
		"/api/v2/tenant/": {
			{name: "A's team in the path", status: 404, send: raw(http.MethodGet, "/api/v2/tenant/orgs/"+a.teamID)},
			{name: "A's user's teams", status: 404, send: raw(http.MethodGet, "/api/v2/tenant/users/"+a.admin.id+"/orgs")},
		},

		// The application portal with B's token.
		portal: {
			{name: "A's organization", status: 404, blame: "organizationId", send: post(portal, map[string]string{"organizationId": a.teamID, "email": a.admin.email})},
			{name: "A's email", status: 404, send: post(portal, map[string]string{"organizationId": b.teamID, "email": a.admin.email})},
			{name: "A's name", status: 404, send: post(portal, map[string]string{"organizationId": b.teamID, "name": a.manager.first + " " + a.manager.last})},
			{name: "A's name and domain", status: 404, send: post(portal, map[string]string{"organizationId": b.teamID, "name": a.manager.first + " " + a.manager.last, "domain": a.domain})},
			{name: "A's phone", status: 404, send: post(portal, map[string]string{"organizationId": b.teamID, "phoneArea": "86", "phone": a.member.national})},
		},
		"/app-portal-service/": {
			{name: "A's user in the path", status: 404, send: post("/app-portal-service/v2.2/user/"+a.admin.id, map[string]string{"organizationId": a.teamID})},
			{name: "A's organization in the path", status: 404, send: raw(http.MethodGet, "/app-portal-service/v2.2/organization/"+a.teamID)},
		},

		// The endpoint reference is the same for everyone.
		"/openapi.json": {
			{name: "B's token, A's IDs", status: 200, send: func() *reply {
				return s.openapiReply(b.app.token, "corp_id="+a.teamID+"&user_id="+a.admin.id)
			}},
		},
	}
	// B reads and renames, through every family, the users of A it has
	// added: each answer is B's record of them (the names B gave, or none)
	// with their contacts, and nothing A recorded.
	joined := func(u isoUser, name string, send func() *reply) probe {
		return probe{name: name + " A's " + u.first + ", joined", status: 200, joined: true, send: send, allow: u.contacts(),
			exact: func(t *testing.T, r *reply) {
				if !strings.Contains(string(r.Body), u.id) {
					t.Errorf("%s A's %s, joined, answers without them: %s", name, u.first, r.Body)
				}
			}}
	}
	for _, u := range []isoUser{a.shared5, a.shared689} {
		for pattern, p := range map[string]probe{
			"/api/user/profile":                   joined(u, "689 profile of", asAdmin("profile", map[string]string{"user_id": u.id})),
			"/api/user/list":                      joined(u, "689 list by the email of", asAdmin("list", map[string]string{"search_key": u.email})),
			"/api/user/update":                    joined(u, "689 rename of", asAdmin("update", with(names, "user_update_id", u.id))),
			v5 + "profile/fetch":                  joined(u, "v5 profile of", get(v5+"profile/fetch", map[string]string{"corp_id": b.teamID, "user_id": u.id})),
			"/api/v2/tenant/users/{user_id}":      joined(u, "tenant user", raw(http.MethodGet, "/api/v2/tenant/users/"+u.id)),
			"/api/v2/tenant/users/user-by-mobile": joined(u, "tenant mobile of", post("/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": "+86" + u.national})),
			portal:                                joined(u, "portal email of", post(portal, map[string]string{"organizationId": b.teamID, "email": u.email})),
		} {
			m[pattern] = append(m[pattern], p)
		}
	}
	for pattern, ps := range scimIsolationRows(s, a, b) {
		m[pattern] = append(m[pattern], ps...)
	}
	return m
}

// equalJSONText reports whether two JSON texts hold the same value.
func equalJSONText(got json.RawMessage, want string) bool {
	var g, w any
	return json.Unmarshal(got, &g) == nil && json.Unmarshal([]byte(want), &w) == nil && reflect.DeepEqual(g, w)
}

// isoSnapshot is everything A's own admin and application see of A, read
// through the Go API: the team and its counts, the members listed, every
// member of A with all their fields (password hash included) and owners,
// keyed by first name, pools (on the memberships), the project's members,
// and A's session and token.
type isoSnapshot struct {
	Team    identity.TeamInfo
	Listed  []string
	Members map[string]team.Member
	Owners  map[string][]string
	Project []team.ProjectMember
	Session identity.Actor
	Client  identity.Client
}

func (a *isoA) snapshot(t *testing.T, s *server) isoSnapshot {
	t.Helper()
	ctx, op := context.Background(), identity.Operator(a.teamID)
	snap := isoSnapshot{Members: map[string]team.Member{}, Owners: map[string][]string{}}
	var err error
	need := func(e error) {
		t.Helper()
		if e != nil {
			t.Fatalf("snapshot of A: %v", e)
		}
	}
	snap.Team, err = s.svc.Team(ctx, op, a.teamID)
	need(err)
	listed, _, err := s.svc.ListMembers(ctx, op, team.ListQuery{Sort: team.SortEmailAsc, Size: 1000})
	need(err)
	for _, m := range listed {
		snap.Listed = append(snap.Listed, m.User.ID)
	}
	for _, u := range a.users() {
		snap.Members[u.first], err = s.svc.Member(ctx, op, u.id)
		need(err)
		need(s.svc.Store().Read(ctx, func(tx storage.Tx) (err error) {
			snap.Owners[u.first], err = tx.Owners(ctx, a.teamID, u.id)
			return err
		}))
	}
	snap.Project, err = s.svc.ProjectMembers(ctx, op, a.projectID)
	need(err)
	snap.Session, err = s.svc.Authenticate(ctx, a.session)
	need(err)
	snap.Client, err = s.svc.AuthenticateToken(ctx, a.app.token)
	need(err)
	return snap
}

// snapshotDiff lists the fields in which after differs from before, by
// path; bytes (a password hash) are said to differ, never shown.
func snapshotDiff(before, after isoSnapshot) string {
	var out []string
	diffValue("", reflect.ValueOf(before), reflect.ValueOf(after), &out)
	if len(out) == 0 {
		return ""
	}
	return "\n  " + strings.Join(out, "\n  ")
}

func diffValue(path string, x, y reflect.Value, out *[]string) {
	differ := func(format string, args ...any) { *out = append(*out, path+": "+fmt.Sprintf(format, args...)) }
	switch {
	case x.Type() == reflect.TypeFor[time.Time]() && x.CanInterface():
		if tx, ty := x.Interface().(time.Time), y.Interface().(time.Time); !tx.Equal(ty) {
			differ("%s → %s", tx, ty)
		}
	case x.Kind() == reflect.Struct:
		for i := range x.NumField() {
			diffValue(path+"."+x.Type().Field(i).Name, x.Field(i), y.Field(i), out)
		}
	case x.Kind() == reflect.Slice && x.Type().Elem().Kind() == reflect.Uint8:
		if !bytes.Equal(x.Bytes(), y.Bytes()) {
			differ("the bytes (a hash) changed")
		}
	case x.Kind() == reflect.Slice:
		if x.Len() != y.Len() {
			differ("%d elements → %d: %v → %v", x.Len(), y.Len(), x, y)
			return
		}
		for i := range x.Len() {
			diffValue(fmt.Sprintf("%s[%d]", path, i), x.Index(i), y.Index(i), out)
		}
	case x.Kind() == reflect.Map:
		keys := map[string]reflect.Value{}
		for _, k := range append(x.MapKeys(), y.MapKeys()...) {
			keys[fmt.Sprint(k)] = k
		}
		for _, name := range slices.Sorted(maps.Keys(keys)) {
			kx, ky := x.MapIndex(keys[name]), y.MapIndex(keys[name])
			switch {
			case !kx.IsValid() || !ky.IsValid():
				differ("[%s] only on one side: %v → %v", name, kx, ky)
			default:
				diffValue(path+"["+name+"]", kx, ky, out)
			}
		}
	case fmt.Sprintf("%#v", x) != fmt.Sprintf("%#v", y):
		differ("%#v → %#v", x, y)
	}
}

// TestIsolationMatrix sends, for every route Mount registers, requests with
// a session or token of team B aimed at team A's users, team and project,
// and checks that no answer carries A's data (but the documented
// exceptions, each checked exactly) and that A's rows are the same after as
// before. A route without a row, or a row for a route that is not mounted,
// fails the test.
func TestIsolationMatrix(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, st storage.Store) {
		s := newServer(t, st, httpapi.Options{})
		mux := s.remount(httpapi.Options{})
		a, b := isoSetUpA(s), isoSetUpB(s)
		matrix := isolationMatrix(s, a, b)

		for _, p := range mux.patterns {
			if len(matrix[p]) == 0 {
				t.Errorf("route %q is mounted but has no row in the isolation matrix; add one", p)
			}
		}
		for p := range matrix {
			if !slices.Contains(mux.patterns, p) {
				t.Errorf("the isolation matrix has a row for %q, which Mount does not register", p)
			}
		}

		type planned struct {
			pattern string
			probe
		}
		var first, last, joined []planned
		for _, pattern := range slices.Sorted(maps.Keys(matrix)) {
			for _, p := range matrix[pattern] {
				switch {
				case p.joined:
					joined = append(joined, planned{pattern, p})
				case p.last:
					last = append(last, planned{pattern, p})
				default:
					first = append(first, planned{pattern, p})
				}
			}
		}

		before := a.snapshot(t, s)
		for _, p := range slices.Concat(first, last, joined) {
			where := fmt.Sprintf("%s (%s)", p.pattern, p.name)
			served := mux.served(p.pattern)
			r := p.send()
			if mux.served(p.pattern) != served+1 {
				t.Errorf("%s: the request was not served by %s", where, p.pattern)
			}
			if r.Status != p.status {
				t.Errorf("%s: status %d, want %d: %s", where, r.Status, p.status, r.Body)
			}
			msg := r.Message
			if strings.HasPrefix(p.pattern, "/api/user/") {
				msg = r.Env.Description
			}
			if p.blame != "" && r.Status != http.StatusOK && !strings.HasPrefix(msg, p.blame+": ") {
				t.Errorf("%s: the refusal %q does not blame %s", where, msg, p.blame)
			}
			if found := a.leaks(r, p.allow); len(found) > 0 {
				t.Errorf("%s: B's answer carries %s: %s", where, strings.Join(found, ", "), r.Body)
			}
			if p.exact != nil {
				p.exact(t, r)
			}
		}
		if diff := snapshotDiff(before, a.snapshot(t, s)); diff != "" {
			t.Errorf("B's requests changed A's rows:%s", diff)
		}
		t.Logf("%d routes, %d requests of team B", len(matrix), len(first)+len(last)+len(joined))
	})
}

// TestSharedUserStaysAsTheirTeamKnowsThem checks what an admin of team B
// can do to a user of team A it has added to B as documented (689Cloud
// create with the user's email): nothing that changes the user as A sees
// them. Names are each team's, so B may rename its new member, in B only.
func TestSharedUserStaysAsTheirTeamKnowsThem(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a, b := isoSetUpA(s), isoSetUpB(s)
		before := a.snapshot(t, s)
		s.form("/api/user/create", map[string]string{"auth_token": b.session, "mail_address": a.shared689.email, "first_name": "Any", "last_name": "Name",
			"password": isoPasswordB, "confirm_password": isoPasswordB, "user_role": member}).ok(t, nil)
		if diff := snapshotDiff(before, a.snapshot(t, s)); diff != "" {
			t.Fatalf("adding A's user to B changed A's rows:%s", diff)
		}
		var renamed user
		s.form("/api/user/update", map[string]string{"auth_token": b.session, "user_update_id": a.shared689.id, "first_name": "Renamed", "last_name": "ByBravo"}).ok(t, &renamed)
		if renamed.FirstName != "Renamed" || renamed.LastName != "ByBravo" || renamed.TeamID != b.teamID {
			t.Errorf("B's admin renaming their member answers %+v", renamed)
		}
		if diff := snapshotDiff(before, a.snapshot(t, s)); diff != "" {
			t.Errorf("B's admin renamed a user A also has:%s", diff)
		}
	})
}
