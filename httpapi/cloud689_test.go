package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage/storagetest"
)

const password = "e10adc3949ba59abbe56e057f20f883e" // what a 689Cloud client sends for "123456"

// Roles.
const (
	admin   = "1"
	manager = "2"
	member  = "3"
)

// user is a user object of the 689Cloud family.
type user struct {
	UserID      string  `json:"user_id"`
	TeamID      string  `json:"team_id"`
	RoleID      int     `json:"role_id"`
	MailAddress string  `json:"mail_address"`
	Status      int     `json:"status"`
	FirstName   string  `json:"first_name"`
	MiddleName  *string `json:"middle_name"`
	LastName    string  `json:"last_name"`
	TimeZone    int     `json:"time_zone"`
	Lang        string  `json:"lang"`
	Activation  *string `json:"activation_date"`
	SignupDate  *string `json:"signup_date"`
	Notify      string  `json:"notification_flag"`
}

// signUp signs a team up, form-encoded, and returns its ID.
func (s *server) signUp(email string) string {
	s.t.Helper()
	s.form("/api/user/signup", map[string]string{
		"first_name": "Le", "last_name": "Tran", "email_address": email, "business_name": "NIT SOFTWARE",
		"phone": "0908296906", "password": password, "confirm_password": password, "plan_id": "1", "payment_id": "1",
	}).ok(s.t, nil)
	return s.box.Last(s.t, email).TeamID
}

// activate redeems the latest code sent to email.
func (s *server) activate(email string) {
	s.t.Helper()
	s.form("/api/user/activation", map[string]string{"activation_code": s.box.Last(s.t, email).Code}).ok(s.t, nil)
}

// login opens a session and returns its token.
func (s *server) login(email, pw, teamID string) string {
	s.t.Helper()
	var res struct {
		SessionID string `json:"session_id"`
	}
	s.form("/api/user/login", map[string]string{"email_address": email, "password": pw, "team_id": teamID}).ok(s.t, &res)
	return res.SessionID
}

// refusedLogin fails unless pw does not open the team for email.
func (s *server) refusedLogin(email, pw, teamID string) {
	s.t.Helper()
	s.form("/api/user/login", map[string]string{"email_address": email, "password": pw, "team_id": teamID}).fail(s.t, http.StatusUnauthorized, "")
}

// activeTeam signs up and activates a team and returns it with its admin's
// session.
func (s *server) activeTeam(email string) (teamID, token string) {
	s.t.Helper()
	teamID = s.signUp(email)
	s.activate(email)
	return teamID, s.login(email, password, teamID)
}

// create creates a member and returns them.
func (s *server) create(token, email, role string) user {
	s.t.Helper()
	var u user
	s.form("/api/user/create", map[string]string{
		"auth_token": token, "first_name": "First", "last_name": "Last", "mail_address": email,
		"password": password, "confirm_password": password, "user_role": role,
	}).ok(s.t, &u)
	return u
}

// member creates a member and returns them with a session of theirs.
func (s *server) member(token, teamID, email, role string) (user, string) {
	s.t.Helper()
	u := s.create(token, email, role)
	return u, s.login(email, password, teamID)
}

// documented returns the example answer of an endpoint in the OpenAPI
// document, which holds the 689Cloud document's examples.
func documented(t *testing.T, endpoint string) map[string]any {
	t.Helper()
	doc, err := openapiDoc()
	if err != nil {
		t.Fatal(err)
	}
	item := doc.Paths.Find("/api/user/" + endpoint)
	if item == nil || item.Post == nil {
		t.Fatalf("the document has no POST /api/user/%s", endpoint)
	}
	ex := item.Post.Responses.Status(http.StatusOK).Value.Content.Get("application/json").Example
	b, _ := json.Marshal(ex)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// sameShape fails the test unless got has the keys of want at every level
// and a value of the same JSON type wherever neither is null; arrays are
// compared item by item with the first item of want.
func sameShape(t *testing.T, got []byte, want any) {
	t.Helper()
	var g any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	var diffs []string
	var walk func(path string, g, w any)
	walk = func(path string, g, w any) {
		switch w := w.(type) {
		case nil:
		case map[string]any:
			gm, ok := g.(map[string]any)
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s: got %T, want an object", path, g))
				return
			}
			for k := range w {
				if _, ok := gm[k]; !ok {
					diffs = append(diffs, path+"."+k+": missing")
				}
			}
			for k, v := range gm {
				if _, ok := w[k]; !ok {
					diffs = append(diffs, path+"."+k+": not documented")
					continue
				}
				walk(path+"."+k, v, w[k])
			}
		case []any:
			ga, ok := g.([]any)
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s: got %T, want an array", path, g))
				return
			}
			for i, v := range ga {
				if len(w) > 0 {
					walk(fmt.Sprintf("%s[%d]", path, i), v, w[0])
				}
			}
		default:
			if g != nil && reflect.TypeOf(g) != reflect.TypeOf(w) {
				diffs = append(diffs, fmt.Sprintf("%s: got %T, want %T", path, g, w))
			}
		}
	}
	walk("", g, want)
	if len(diffs) > 0 {
		t.Errorf("the answer differs from the documented one:\n%s\n%s", strings.Join(diffs, "\n"), got)
	}
}

// seedDate is how the injected clock's start reads in answers.
const seedDate = "2026/11/24 09:00:00"

// TestCloud689DocumentedRequests replays the requests of the 689Cloud
// document, form-encoded, and checks the documented answers.
func TestCloud689DocumentedRequests(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		const adminEmail = "le.tran@nit-software.com"

		r := s.form("/api/user/signup", map[string]string{
			"first_name": "Le", "last_name": "Tran", "email_address": adminEmail, "business_name": "NIT SOFTWARE",
			"business_size": "1-50 employees", "phone": "0908296906", "password": password, "confirm_password": password,
			"payment_id": "1", "plan_id": "1",
		})
		r.ok(t, nil)
		sameShape(t, r.Body, documented(t, "signup"))
		if string(r.Env.Result) != `"OK"` || r.Env.Description != "New user and team is created" || r.Env.TotalRecords != nil {
			t.Errorf("signup: %s", r.Body)
		}
		teamID := s.box.Last(t, adminEmail).TeamID

		r = s.form("/api/user/activation", map[string]string{"activation_code": s.box.Last(t, adminEmail).Code})
		r.ok(t, nil)
		sameShape(t, r.Body, documented(t, "activation"))
		if string(r.Env.Result) != `"You have just activate your account successful"` || r.Env.Description != "OK" {
			t.Errorf("activation: %s", r.Body)
		}

		r = s.form("/api/user/login/checkmail", map[string]string{"email_address": adminEmail})
		var teams []struct {
			TeamID   string `json:"team_id"`
			TeamName string `json:"team_name"`
		}
		r.ok(t, &teams)
		sameShape(t, r.Body, documented(t, "login/checkmail"))
		if len(teams) != 1 || teams[0].TeamID != teamID || teams[0].TeamName != "NIT SOFTWARE" || *r.Env.TotalRecords != 1 {
			t.Errorf("checkmail: %s", r.Body)
		}

		r = s.form("/api/user/login", map[string]string{"email_address": adminEmail, "password": password, "team_id": teamID, "keep_me_login": "false"})
		var login struct {
			UserID    string `json:"user_id"`
			RoleID    int    `json:"role_id"`
			SessionID string `json:"session_id"`
		}
		r.ok(t, &login)
		sameShape(t, r.Body, documented(t, "login"))
		if login.RoleID != 1 || login.SessionID == "" {
			t.Errorf("login: %s", r.Body)
		}
		token := login.SessionID

		// The members of the list example, created as the create example.
		r = s.form("/api/user/create", map[string]string{
			"auth_token": token, "first_name": "Le", "last_name": "Tran", "middle_name": "Hieu",
			"mail_address": "testuser004@gmail.com", "password": password, "confirm_password": password, "user_role": "3",
		})
		var u004 user
		r.ok(t, &u004)
		sameShape(t, r.Body, documented(t, "create"))
		want := user{UserID: u004.UserID, TeamID: teamID, RoleID: 3, MailAddress: "testuser004@gmail.com", Status: 1,
			FirstName: "Le", MiddleName: ptr("Hieu"), LastName: "Tran", Lang: "auto", Activation: ptr(seedDate), SignupDate: ptr(seedDate), Notify: "111"}
		if !reflect.DeepEqual(u004, want) {
			t.Errorf("create: got %+v, want %+v", u004, want)
		}
		ids := map[string]string{"testuser004@gmail.com": u004.UserID}
		for _, m := range []struct{ first, middle, last, email, role string }{
			{"Quy", "Lien", "Duong", "testuser003@gmail.com", manager},
			{"Le", "Hieu", "Tran", "testuser002@gmail.com", manager},
			{"Le", "", "Hieu", "testuser001@gmail.com", manager},
		} {
			var u user
			s.form("/api/user/create", map[string]string{
				"auth_token": token, "first_name": m.first, "middle_name": m.middle, "last_name": m.last,
				"mail_address": m.email, "password": password, "confirm_password": password, "user_role": m.role,
			}).ok(t, &u)
			ids[m.email] = u.UserID
		}

		r = s.form("/api/user/list", map[string]string{"auth_token": token, "search_key": "", "sort_key": "6", "page_size": "10", "page_number": "0"})
		var list struct {
			TotalResult int    `json:"total_result"`
			Data        []user `json:"data"`
		}
		r.ok(t, &list)
		sameShape(t, r.Body, documented(t, "list"))
		var got []string
		for _, u := range list.Data {
			got = append(got, fmt.Sprintf("%s %d %d", u.MailAddress, u.RoleID, u.Status))
		}
		wantList := []string{"testuser004@gmail.com 3 1", "testuser003@gmail.com 2 1", "testuser002@gmail.com 2 1", "testuser001@gmail.com 2 1", adminEmail + " 1 1"}
		if list.TotalResult != 5 || !slices.Equal(got, wantList) {
			t.Errorf("list: total %d, %q; want 5, %q", list.TotalResult, got, wantList)
		}

		ctx := context.Background()
		for _, name := range []string{"Encoder", "Portal"} {
			p, err := s.svc.CreateProject(ctx, teamID, name)
			if err != nil {
				t.Fatal(err)
			}
			if name == "Encoder" {
				must(t, s.svc.AddProjectMember(ctx, p.ID, login.UserID, 1))
				s.clock.Advance(time.Second)
				must(t, s.svc.AddProjectMember(ctx, p.ID, ids["testuser001@gmail.com"], 2))
				r = s.form("/api/user/project", map[string]string{"auth_token": token, "project_id": p.ID})
			}
		}
		var project []struct {
			UserID        string `json:"user_id"`
			ProjectRoleID int    `json:"project_role_id"`
			CreateDate    string `json:"create_date"`
			EmailAddress  string `json:"email_address"`
		}
		r.ok(t, &project)
		sameShape(t, r.Body, documented(t, "project"))
		if len(project) != 2 || project[0].UserID != login.UserID || project[0].ProjectRoleID != 1 ||
			project[1].EmailAddress != "testuser001@gmail.com" || project[1].ProjectRoleID != 2 || project[1].CreateDate != "2026/11/24 09:00:01" {
			t.Errorf("project: %s", r.Body)
		}

		r = s.multipart("/api/user/importusercsv", map[string]string{"auth_token": token},
			"mail_address,first_name,last_name,password\r\nimported@example.com,Im,Ported,"+password+"\r\n")
		r.ok(t, nil)
		sameShape(t, r.Body, documented(t, "importusercsv"))
		if string(r.Env.Result) != "200" || *r.Env.TotalRecords != 1 {
			t.Errorf("importusercsv: %s", r.Body)
		}

		r = s.form("/api/user/update", map[string]string{
			"auth_token": token, "user_update_id": u004.UserID, "first_name": "Le", "last_name": "Tran", "role_id": "2",
		})
		var updated user
		r.ok(t, &updated)
		sameShape(t, r.Body, documented(t, "update"))
		if updated.RoleID != 2 || updated.MiddleName != nil {
			t.Errorf("update: %s", r.Body)
		}

		r = s.form("/api/user/remove", map[string]string{"auth_token": token, "user_id": u004.UserID})
		r.ok(t, nil)
		sameShape(t, r.Body, documented(t, "remove"))
		if string(r.Env.Result) != `"User is inactive now"` {
			t.Errorf("remove: %s", r.Body)
		}

		r = s.form("/api/user/info", map[string]string{"auth_token": token})
		var me user
		r.ok(t, &me)
		sameShape(t, r.Body, documented(t, "info"))
		if me.UserID != login.UserID || me.MailAddress != adminEmail || me.RoleID != 1 || *me.SignupDate != seedDate {
			t.Errorf("info: %s", r.Body)
		}

		user001 := ids["testuser001@gmail.com"]
		r = s.form("/api/user/profile", map[string]string{"auth_token": token, "user_id": user001})
		var profile user
		r.ok(t, &profile)
		sameShape(t, r.Body, documented(t, "profile"))
		if profile.UserID != user001 || profile.RoleID != 2 || profile.MiddleName != nil || profile.LastName != "Hieu" {
			t.Errorf("profile: %s", r.Body)
		}

		token001 := s.login("testuser001@gmail.com", password, teamID)
		const newPassword = "c33367701511b4f6020ec61ded352059"
		r = s.form("/api/user/changepassword", map[string]string{
			"auth_token": token001, "confirm_old_password": password, "new_password": newPassword, "confirm_new_password": newPassword,
		})
		r.ok(t, &profile)
		sameShape(t, r.Body, documented(t, "changepassword"))
		if profile.UserID != user001 {
			t.Errorf("changepassword: %s", r.Body)
		}

		// The document's answer shows the new address; here the account
		// moves once the code sent there is redeemed (see the reference).
		r = s.form("/api/user/changeemail", map[string]string{"auth_token": token001, "mail_adress": "testuser01@gmail.com"})
		r.ok(t, &profile)
		sameShape(t, r.Body, documented(t, "changeemail"))
		if profile.MailAddress != "testuser001@gmail.com" {
			t.Errorf("changeemail: %s", r.Body)
		}
		s.activate("testuser01@gmail.com")
		s.login("testuser01@gmail.com", newPassword, teamID)

		r = s.form("/api/user/getteam", map[string]string{"auth_token": token, "team_id": teamID})
		var gotTeam map[string]any
		r.ok(t, &gotTeam)
		sameShape(t, r.Body, documented(t, "getteam"))
		wantTeam := map[string]any{
			"team_id": teamID, "name": "NIT SOFTWARE", "create_date": seedDate, "email_address": adminEmail, "website": nil,
			"business_size": "1-50 employees", "phone_number": "0908296906", "status": 2.0, "projects_usage": 2.0,
			"payment_team_id": "1", "number_of_user": 5.0, // 4 created, 1 imported, 1 removed, and the admin
		}
		if !reflect.DeepEqual(gotTeam, wantTeam) {
			t.Errorf("getteam: got %v, want %v", gotTeam, wantTeam)
		}

		r = s.form("/api/user/updateteamprofile", map[string]string{
			"auth_token": token, "team_update_id": teamID, "team_name": "NIT SOFTWARE", "phone_number": "0908296906",
			"company_size": "1-50 employees", "website": "www.nit-software.com",
		})
		var profileTeam map[string]any
		r.ok(t, &profileTeam)
		sameShape(t, r.Body, documented(t, "updateteamprofile"))
		if profileTeam["website"] != "www.nit-software.com" || profileTeam["status"] != 2.0 {
			t.Errorf("updateteamprofile: %s", r.Body)
		}
		var kept map[string]any
		s.form("/api/user/getteam", map[string]string{"auth_token": token, "team_id": teamID}).ok(t, &kept)
		if kept["payment_team_id"] != "1" {
			t.Errorf("updateteamprofile changed the payment ID: %v", kept)
		}

		r = s.form("/api/user/logout", map[string]string{"access_token": token})
		r.ok(t, nil)
		if string(r.Env.Result) != `"OK"` {
			t.Errorf("logout: %s", r.Body)
		}
		s.form("/api/user/info", map[string]string{"auth_token": token}).fail(t, http.StatusUnauthorized, "auth_token")
	})
}

func ptr[T any](v T) *T { return &v }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestCloud689RoleRules checks the refusals of the role rules.
func TestCloud689RoleRules(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamID, adminToken := s.activeTeam("admin@example.com")
		mgr, mgrToken := s.member(adminToken, teamID, "manager@example.com", manager)
		mgr2 := s.create(adminToken, "manager2@example.com", manager)
		mem, memToken := s.member(adminToken, teamID, "member@example.com", member)
		var self user
		s.form("/api/user/info", map[string]string{"auth_token": adminToken}).ok(t, &self)
		create := func(token, email, role string) *reply {
			return s.form("/api/user/create", map[string]string{
				"auth_token": token, "first_name": "New", "last_name": "User", "mail_address": email,
				"password": password, "confirm_password": password, "user_role": role,
			})
		}
		tests := []struct {
			name   string
			r      func() *reply
			status int
			field  string
		}{
			{"manager creates manager", func() *reply { return create(mgrToken, "x1@example.com", manager) }, http.StatusForbidden, "user_role"},
			{"member creates member", func() *reply { return create(memToken, "x2@example.com", member) }, http.StatusForbidden, ""},
			{"admin creates admin", func() *reply { return create(adminToken, "x3@example.com", admin) }, http.StatusForbidden, "user_role"},
			{"admin creates an existing member", func() *reply { return create(adminToken, "MEMBER@example.com", member) }, http.StatusConflict, "mail_address"},
			{"manager removes manager", func() *reply {
				return s.form("/api/user/remove", map[string]string{"auth_token": mgrToken, "user_id": mgr2.UserID})
			}, http.StatusForbidden, "user_id"},
			{"member removes member", func() *reply {
				return s.form("/api/user/remove", map[string]string{"auth_token": memToken, "user_id": mem.UserID})
			}, http.StatusForbidden, ""},
			{"admin demotes the last admin", func() *reply {
				return s.form("/api/user/update", map[string]string{"auth_token": adminToken, "user_update_id": self.UserID, "first_name": "A", "last_name": "B", "role_id": manager})
			}, http.StatusForbidden, "role_id"},
			{"manager changes a role", func() *reply {
				return s.form("/api/user/update", map[string]string{"auth_token": mgrToken, "user_update_id": mem.UserID, "first_name": "A", "last_name": "B", "role_id": manager})
			}, http.StatusForbidden, "role_id"},
			{"manager renames a manager", func() *reply {
				return s.form("/api/user/update", map[string]string{"auth_token": mgrToken, "user_update_id": mgr2.UserID, "first_name": "A", "last_name": "B"})
			}, http.StatusForbidden, "user_update_id"},
			{"update without a last name", func() *reply {
				return s.form("/api/user/update", map[string]string{"auth_token": mgrToken, "user_update_id": mgr.UserID, "first_name": "A"})
			}, http.StatusBadRequest, "last_name"},
			{"manager updates the team profile", func() *reply {
				return s.form("/api/user/updateteamprofile", map[string]string{
					"auth_token": mgrToken, "team_update_id": teamID, "team_name": "N", "phone_number": "1", "company_size": "1-50 employees",
				})
			}, http.StatusForbidden, ""},
			{"manager imports a manager", func() *reply {
				return s.multipart("/api/user/importusercsv", map[string]string{"auth_token": mgrToken}, "email,first_name,last_name,role\nm@example.com,M,N,2\n")
			}, http.StatusBadRequest, ""},
			{"member imports", func() *reply {
				return s.multipart("/api/user/importusercsv", map[string]string{"auth_token": memToken}, "email,first_name,last_name\nm@example.com,M,N\n")
			}, http.StatusForbidden, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { tt.r().fail(t, tt.status, tt.field) })
		}

		// What the rules allow.
		s.form("/api/user/update", map[string]string{"auth_token": memToken, "user_update_id": mem.UserID,
			"first_name": "Me", "last_name": "Myself", "time_zone": "-5", "notification_flag": "010", "lang": "ja"}).ok(t, nil)
		s.form("/api/user/update", map[string]string{"auth_token": mgrToken, "user_update_id": mem.UserID, "first_name": "Re", "last_name": "Named",
			"role_id": "", "time_zone": "", "notification_flag": "", "lang": ""}).ok(t, nil) // empty values are not given
		var u user
		s.form("/api/user/update", map[string]string{"auth_token": adminToken, "user_update_id": mgr2.UserID, "first_name": "Pro", "last_name": "Moted", "role_id": admin}).ok(t, &u)
		if u.RoleID != 1 {
			t.Errorf("promotion: got role %d", u.RoleID)
		}
		s.form("/api/user/update", map[string]string{"auth_token": adminToken, "user_update_id": self.UserID, "first_name": "A", "last_name": "B", "role_id": manager}).ok(t, nil)
		s.form("/api/user/profile", map[string]string{"auth_token": memToken, "user_id": mem.UserID}).ok(t, &u)
		if u.FirstName != "Re" || u.TimeZone != -5 || u.Notify != "010" || u.Lang != "ja" {
			t.Errorf("after the updates: %+v", u)
		}
	})
}

// TestCloud689Sessions checks activation, logging in and the ends of
// sessions.
func TestCloud689Sessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		t.Run("login to a team not activated", func(t *testing.T) {
			teamID := s.signUp("pending@example.com")
			s.form("/api/user/login", map[string]string{"email_address": "pending@example.com", "password": password, "team_id": teamID}).
				fail(t, http.StatusForbidden, "team_id")
		})
		t.Run("activation after 30 minutes", func(t *testing.T) {
			const email = "late@example.com"
			teamID := s.signUp(email)
			expired := s.box.Last(t, email).Code
			s.clock.Advance(30 * time.Minute)
			s.form("/api/user/activation", map[string]string{"activation_code": expired}).fail(t, http.StatusGone, "activation_code")
			r := s.form("/api/user/getactivationcode", map[string]string{"activation_code": expired})
			r.ok(t, nil)
			sameShape(t, r.Body, documented(t, "getactivationcode"))
			if string(r.Env.Result) != `"Check your email address to active your account"` {
				t.Errorf("getactivationcode: %s", r.Body)
			}
			s.form("/api/user/activation", map[string]string{"activation_code": expired}).fail(t, http.StatusBadRequest, "activation_code")
			s.activate(email)
			s.login(email, password, teamID)
		})
		teamID, adminToken := s.activeTeam("admin@example.com")
		t.Run("wrong password", func(t *testing.T) {
			s.form("/api/user/login", map[string]string{"email_address": "admin@example.com", "password": "wrong-password", "team_id": teamID}).
				fail(t, http.StatusUnauthorized, "")
		})
		t.Run("expired session", func(t *testing.T) {
			token := s.login("admin@example.com", password, teamID)
			kept := s.form("/api/user/login", map[string]string{"email_address": "admin@example.com", "password": password, "team_id": teamID, "keep_me_login": "true"})
			var keep struct {
				SessionID string `json:"session_id"`
			}
			kept.ok(t, &keep)
			s.clock.Advance(29 * time.Minute)
			s.form("/api/user/info", map[string]string{"auth_token": token}).ok(t, nil)
			s.clock.Advance(30 * time.Minute)
			s.form("/api/user/info", map[string]string{"auth_token": token}).fail(t, http.StatusUnauthorized, "auth_token")
			s.form("/api/user/info", map[string]string{"auth_token": keep.SessionID}).ok(t, nil)
		})
		adminToken = s.login("admin@example.com", password, teamID)
		t.Run("removed member", func(t *testing.T) {
			u, token := s.member(adminToken, teamID, "gone@example.com", member)
			s.form("/api/user/remove", map[string]string{"auth_token": adminToken, "user_id": u.UserID}).ok(t, nil)
			s.form("/api/user/info", map[string]string{"auth_token": token}).fail(t, http.StatusUnauthorized, "auth_token")
			s.form("/api/user/login", map[string]string{"email_address": "gone@example.com", "password": password, "team_id": teamID}).
				fail(t, http.StatusForbidden, "team_id")
			var teams []any
			r := s.form("/api/user/login/checkmail", map[string]string{"email_address": "gone@example.com"})
			r.ok(t, &teams)
			if len(teams) != 0 || *r.Env.TotalRecords != 0 {
				t.Errorf("checkmail of a removed member: %s", r.Body)
			}
			var p user
			s.form("/api/user/profile", map[string]string{"auth_token": adminToken, "user_id": u.UserID}).ok(t, &p)
			if p.Status != 2 {
				t.Errorf("profile of a removed member: status %d", p.Status)
			}
		})
		t.Run("unknown email", func(t *testing.T) {
			var teams []any
			r := s.form("/api/user/login/checkmail", map[string]string{"email_address": "nobody@example.com"})
			r.ok(t, &teams)
			if len(teams) != 0 || r.Env.TotalRecords == nil || *r.Env.TotalRecords != 0 {
				t.Errorf("checkmail of an unknown address: %s", r.Body)
			}
		})
		t.Run("wrong old password", func(t *testing.T) {
			s.form("/api/user/changepassword", map[string]string{
				"auth_token": adminToken, "confirm_old_password": "not-the-password", "new_password": "new-password", "confirm_new_password": "new-password",
			}).fail(t, http.StatusBadRequest, "confirm_old_password")
		})
		t.Run("changeemail moves the account once the new address is proved, and ends its sessions", func(t *testing.T) {
			_, token := s.member(adminToken, teamID, "mover@example.com", member)
			other := s.login("mover@example.com", password, teamID)
			var u user
			s.form("/api/user/changeemail", map[string]string{"auth_token": token, "mail_address": "moved@example.com"}).ok(t, &u)
			if u.MailAddress != "mover@example.com" {
				t.Errorf("changeemail: %+v", u)
			}
			s.form("/api/user/info", map[string]string{"auth_token": other}).ok(t, nil)
			s.activate("moved@example.com")
			for _, tok := range []string{token, other} {
				s.form("/api/user/info", map[string]string{"auth_token": tok}).fail(t, http.StatusUnauthorized, "auth_token")
			}
			token = s.login("moved@example.com", password, teamID)
			// A taken address is told only to whoever reads it.
			s.form("/api/user/changeemail", map[string]string{"auth_token": token, "mail_adress": "admin@example.com"}).ok(t, nil)
			s.form("/api/user/activation", map[string]string{"activation_code": s.box.Last(t, "admin@example.com").Code}).fail(t, http.StatusConflict, "")
		})
		t.Run("logout with a bearer token", func(t *testing.T) {
			token := s.login("admin@example.com", password, teamID)
			s.send(http.MethodPost, "/api/user/logout", "", nil, http.Header{"Authorization": {"Bearer " + token}}).ok(t, nil)
			s.form("/api/user/logout", map[string]string{"access_token": token}).fail(t, http.StatusUnauthorized, "")
		})
	})
}

// TestCloud689Requests checks how requests are read.
func TestCloud689Requests(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamID, token := s.activeTeam("admin@example.com")
		bearer := http.Header{"Authorization": {"Bearer " + token}}

		t.Run("bearer token", func(t *testing.T) {
			var u user
			s.send(http.MethodPost, "/api/user/info", "", nil, bearer).ok(t, &u)
			if u.MailAddress != "admin@example.com" {
				t.Errorf("info: %+v", u)
			}
			s.send(http.MethodPost, "/api/user/getteam", "application/x-www-form-urlencoded", strings.NewReader("team_id="+teamID), bearer).ok(t, nil)
			s.send(http.MethodPost, "/api/user/info", "", nil, http.Header{"Authorization": {"Basic " + token}}).fail(t, http.StatusUnauthorized, "auth_token")
		})
		t.Run("JSON bodies", func(t *testing.T) {
			var u user
			s.json("/api/user/create", `{"auth_token":"`+token+`","first_name":"Json","last_name":123,"middle_name":null,
				"mail_address":"json@example.com","password":"`+password+`","confirm_password":"`+password+`","user_role":"3"}`).ok(t, &u)
			if u.LastName != "123" || u.RoleID != 3 || u.MiddleName != nil {
				t.Errorf("create from JSON: %+v", u)
			}
			var list struct {
				TotalResult int `json:"total_result"`
			}
			s.json("/api/user/list", `{"auth_token":"`+token+`","sort_key":1,"page_size":"1","page_number":0}`).ok(t, &list)
			if list.TotalResult != 2 {
				t.Errorf("list from JSON: %+v", list)
			}
			s.json("/api/user/login", `{"email_address":"json@example.com","password":"`+password+`","team_id":"`+teamID+`","keep_me_login":true}`).ok(t, nil)
		})
		tests := []struct {
			name        string
			contentType string
			body        string
			status      int
			field       string
		}{
			{"malformed JSON", "application/json", `{"auth_token":`, http.StatusBadRequest, "body"},
			{"JSON array", "application/json", `["auth_token"]`, http.StatusBadRequest, "body"},
			{"JSON null", "application/json", `null`, http.StatusBadRequest, "body"},
			{"two JSON objects", "application/json", `{}{}`, http.StatusBadRequest, "body"},
			{"nested object", "application/json", `{"auth_token":"` + token + `","search_key":{"a":1}}`, http.StatusBadRequest, "search_key"},
			{"array in a field", "application/json", `{"auth_token":"` + token + `","sort_key":[1]}`, http.StatusBadRequest, "sort_key"},
			{"sort_key 11", "application/x-www-form-urlencoded", "sort_key=11&auth_token=" + token, http.StatusBadRequest, "sort_key"},
			{"sort_key 0", "application/x-www-form-urlencoded", "sort_key=0&auth_token=" + token, http.StatusBadRequest, "sort_key"},
			{"sort_key abc", "application/x-www-form-urlencoded", "sort_key=abc&auth_token=" + token, http.StatusBadRequest, "sort_key"},
			{"sort_key 2.5", "application/json", `{"sort_key":2.5,"auth_token":"` + token + `"}`, http.StatusBadRequest, "sort_key"},
			{"page_size 0", "application/x-www-form-urlencoded", "page_size=0&auth_token=" + token, http.StatusBadRequest, "page_size"},
			{"page_size 1001", "application/x-www-form-urlencoded", "page_size=1001&auth_token=" + token, http.StatusBadRequest, "page_size"},
			{"page_number -1", "application/x-www-form-urlencoded", "page_number=-1&auth_token=" + token, http.StatusBadRequest, "page_number"},
			{"huge page_number", "application/x-www-form-urlencoded", "page_number=99999999999999999999&auth_token=" + token, http.StatusBadRequest, "page_number"},
			{"field given twice", "application/x-www-form-urlencoded", "sort_key=1&sort_key=2&auth_token=" + token, http.StatusBadRequest, "sort_key"},
			{"field too long", "application/x-www-form-urlencoded", "search_key=" + strings.Repeat("a", 1025) + "&auth_token=" + token, http.StatusBadRequest, "search_key"},
			{"bad escape", "application/x-www-form-urlencoded", "search_key=%zz&auth_token=" + token, http.StatusBadRequest, "body"},
			{"unknown content type", "text/plain", "auth_token=" + token, http.StatusBadRequest, "Content-Type"},
			{"malformed content type", "application/", "auth_token=" + token, http.StatusBadRequest, "Content-Type"},
			{"body without content type", "", "auth_token=" + token, http.StatusBadRequest, "Content-Type"},
			{"no session", "application/x-www-form-urlencoded", "", http.StatusUnauthorized, "auth_token"},
			{"unknown session", "application/x-www-form-urlencoded", "auth_token=nope", http.StatusUnauthorized, "auth_token"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s.send(http.MethodPost, "/api/user/list", tt.contentType, strings.NewReader(tt.body), nil).fail(t, tt.status, tt.field)
			})
		}
		t.Run("signup without plan_id", func(t *testing.T) {
			s.form("/api/user/signup", map[string]string{"first_name": "A", "last_name": "B", "email_address": "p@example.com",
				"business_name": "P", "phone": "1", "password": password, "confirm_password": password}).fail(t, http.StatusBadRequest, "plan_id")
		})
		t.Run("signup with a registered email", func(t *testing.T) {
			s.form("/api/user/signup", map[string]string{"first_name": "A", "last_name": "B", "email_address": "ADMIN@example.com",
				"business_name": "P", "phone": "1", "password": password, "confirm_password": password, "plan_id": "1"}).fail(t, http.StatusConflict, "email_address")
		})
	})
}

// TestCloud689Routing checks wrong methods, unknown paths, body limits and
// the prefix.
func TestCloud689Routing(t *testing.T) {
	st := storagetest.SQLite(t)
	s := newServer(t, st, httpapi.Options{Prefix: "/identity/", MaxBodyBytes: 1000, MaxCSVBytes: 512})
	_, token := s.activeTeamAt("/identity", "admin@example.com")

	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodHead} {
		r := s.send(method, "/identity/api/user/list", "", nil, nil)
		r.fail(t, http.StatusMethodNotAllowed, "")
		if r.Header.Get("Allow") != http.MethodPost {
			t.Errorf("%s: Allow %q", method, r.Header.Get("Allow"))
		}
	}
	for _, path := range []string{"/identity/api/user/nope", "/identity/api/user/", "/identity/api/user/list/more", "/identity/api/user/login/"} {
		s.send(http.MethodPost, path, "", nil, nil).fail(t, http.StatusNotFound, "")
	}
	big := "search_key=" + strings.Repeat("a", 1000)
	s.send(http.MethodPost, "/identity/api/user/list", "application/x-www-form-urlencoded", strings.NewReader(big), nil).fail(t, http.StatusRequestEntityTooLarge, "body")
	s.json("/identity/api/user/list", `{"search_key":"`+strings.Repeat("a", 1000)+`"}`).fail(t, http.StatusRequestEntityTooLarge, "body")
	csv := "email,first_name,last_name\n" + strings.Repeat("x@example.com,A,B\n", 28) // 531 bytes
	s.multipart("/identity/api/user/importusercsv", map[string]string{"auth_token": token}, csv).fail(t, http.StatusRequestEntityTooLarge, "file")
	s.multipart("/identity/api/user/importusercsv", map[string]string{"auth_token": token}, csv+strings.Repeat("y", 1000)).fail(t, http.StatusRequestEntityTooLarge, "body")
	s.multipart("/identity/api/user/list", map[string]string{"auth_token": token, "sort_key": "5"}, "").ok(t, nil)

	rec := httptestGet(s.handler, "/identity/openapi.json")
	var doc struct {
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
	}
	if err := json.Unmarshal(rec, &doc); err != nil || len(doc.Servers) != 1 || doc.Servers[0].URL != "/identity" {
		t.Errorf("openapi.json servers: %+v, %v", doc.Servers, err)
	}
}

// activeTeamAt is activeTeam under a prefix.
func (s *server) activeTeamAt(prefix, email string) (teamID, token string) {
	s.t.Helper()
	s.form(prefix+"/api/user/signup", map[string]string{
		"first_name": "Le", "last_name": "Tran", "email_address": email, "business_name": "NIT SOFTWARE",
		"phone": "0908296906", "password": password, "confirm_password": password, "plan_id": "1",
	}).ok(s.t, nil)
	n := s.box.Last(s.t, email)
	s.form(prefix+"/api/user/activation", map[string]string{"activation_code": n.Code}).ok(s.t, nil)
	var res struct {
		SessionID string `json:"session_id"`
	}
	s.form(prefix+"/api/user/login", map[string]string{"email_address": email, "password": password, "team_id": n.TeamID}).ok(s.t, &res)
	return n.TeamID, res.SessionID
}

// TestCloud689List checks search, sorting and paging.
func TestCloud689List(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		_, token := s.activeTeam("zed@example.com")
		for _, m := range []struct{ first, last, email, role string }{
			{"Alice", "Young", "alice@example.com", manager},
			{"Bob", "Xavier", "bob@example.com", member},
			{"Carol", "Walker", "carol@other.example", member},
			{"Dave", "Alison", "dave@example.com", member},
		} {
			s.clock.Advance(time.Second) // so that user IDs, which break ties, follow the creation order
			s.form("/api/user/create", map[string]string{"auth_token": token, "first_name": m.first, "last_name": m.last,
				"mail_address": m.email, "password": password, "confirm_password": password, "user_role": m.role}).ok(t, nil)
		}
		list := func(params map[string]string) (int, []string) {
			t.Helper()
			params["auth_token"] = token
			var res struct {
				TotalResult int    `json:"total_result"`
				Data        []user `json:"data"`
			}
			s.form("/api/user/list", params).ok(t, &res)
			var firsts []string
			for _, u := range res.Data {
				firsts = append(firsts, u.FirstName)
			}
			return res.TotalResult, firsts
		}
		tests := []struct {
			params map[string]string
			total  int
			want   []string
		}{
			{map[string]string{}, 5, []string{"Le", "Dave", "Carol", "Bob", "Alice"}},
			{map[string]string{"sort_key": "", "page_size": ""}, 5, []string{"Le", "Dave", "Carol", "Bob", "Alice"}},
			{map[string]string{"sort_key": "1"}, 5, []string{"Alice", "Bob", "Carol", "Dave", "Le"}},
			{map[string]string{"sort_key": "2"}, 5, []string{"Le", "Dave", "Carol", "Bob", "Alice"}},
			{map[string]string{"sort_key": "3"}, 5, []string{"Dave", "Le", "Carol", "Bob", "Alice"}},
			{map[string]string{"sort_key": "5"}, 5, []string{"Alice", "Bob", "Carol", "Dave", "Le"}},
			{map[string]string{"sort_key": "7"}, 5, []string{"Le", "Alice", "Bob", "Carol", "Dave"}},
			{map[string]string{"sort_key": "8"}, 5, []string{"Dave", "Carol", "Bob", "Alice", "Le"}}, // ties follow the key's direction
			{map[string]string{"sort_key": "9"}, 5, []string{"Le", "Alice", "Bob", "Carol", "Dave"}},
			{map[string]string{"sort_key": "10"}, 5, []string{"Dave", "Carol", "Bob", "Alice", "Le"}},
			{map[string]string{"sort_key": "1", "page_size": "2", "page_number": "1"}, 5, []string{"Carol", "Dave"}},
			{map[string]string{"sort_key": "1", "page_size": "2", "page_number": "2"}, 5, []string{"Le"}},
			{map[string]string{"sort_key": "1", "page_size": "2", "page_number": "3"}, 5, nil},
			{map[string]string{"search_key": "AL", "sort_key": "1"}, 3, []string{"Alice", "Carol", "Dave"}},
			{map[string]string{"search_key": "other.example"}, 1, []string{"Carol"}},
			{map[string]string{"search_key": "bob xavier"}, 1, []string{"Bob"}},
			{map[string]string{"search_key": "nobody"}, 0, nil},
		}
		for _, tt := range tests {
			total, got := list(tt.params)
			if total != tt.total || !slices.Equal(got, tt.want) {
				t.Errorf("list %v: got %d %q, want %d %q", tt.params, total, got, tt.total, tt.want)
			}
		}
	})
}

// TestCloud689Teams checks that a session sees only its own team.
func TestCloud689Teams(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamA, tokenA := s.activeTeam("a@example.com")
		teamB, tokenB := s.activeTeam("b@example.com")
		userB := s.create(tokenB, "b2@example.com", member)
		s.form("/api/user/getteam", map[string]string{"auth_token": tokenA, "team_id": teamB}).fail(t, http.StatusNotFound, "team_id")
		s.form("/api/user/updateteamprofile", map[string]string{"auth_token": tokenA, "team_update_id": teamB, "team_name": "X",
			"phone_number": "1", "company_size": "1-50 employees"}).fail(t, http.StatusNotFound, "team_update_id")
		s.form("/api/user/profile", map[string]string{"auth_token": tokenA, "user_id": userB.UserID}).fail(t, http.StatusNotFound, "")
		s.form("/api/user/remove", map[string]string{"auth_token": tokenA, "user_id": userB.UserID}).fail(t, http.StatusNotFound, "user_id")
		s.form("/api/user/project", map[string]string{"auth_token": tokenA, "project_id": "nope"}).fail(t, http.StatusNotFound, "")

		// A user of team B added to team A keeps their password; team A
		// knows them by the names it gave, team B by its own.
		var added, inB user
		s.form("/api/user/create", map[string]string{"auth_token": tokenA, "first_name": "Other", "last_name": "Name",
			"mail_address": "b2@example.com", "password": "another-password", "confirm_password": "another-password", "user_role": member}).ok(t, &added)
		if added.UserID != userB.UserID || added.FirstName != "Other" || added.LastName != "Name" || added.TeamID != teamA {
			t.Errorf("adding an existing user: %+v", added)
		}
		s.form("/api/user/profile", map[string]string{"auth_token": tokenB, "user_id": userB.UserID}).ok(t, &inB)
		if inB.FirstName != "First" || inB.TeamID != teamB {
			t.Errorf("the user in team B after team A added them: %+v", inB)
		}
		// Each team's password opens that team only (TestHijackOver689).
		s.login("b2@example.com", "another-password", teamA)
		s.refusedLogin("b2@example.com", password, teamA)
		var teams []any
		r := s.form("/api/user/login/checkmail", map[string]string{"email_address": "b2@example.com"})
		r.ok(t, &teams)
		if len(teams) != 2 || *r.Env.TotalRecords != 2 {
			t.Errorf("checkmail of a user in two teams: %s", r.Body)
		}
		var team map[string]any
		s.form("/api/user/updateteamprofile", map[string]string{"auth_token": tokenA, "team_update_id": teamA, "team_name": "Renamed",
			"phone_number": "+84 908 296 906", "company_size": "51-200 employees", "plan_id": "3"}).ok(t, &team)
		if team["name"] != "Renamed" || team["business_size"] != "51-200 employees" || team["website"] != nil {
			t.Errorf("updateteamprofile: %v", team)
		}
		s.form("/api/user/updateteamprofile", map[string]string{"auth_token": tokenA, "team_update_id": teamA, "team_name": "Renamed"}).
			fail(t, http.StatusBadRequest, "phone_number")
	})
}

// TestCloud689Import checks CSV imports.
func TestCloud689Import(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamID, token := s.activeTeam("admin@example.com")
		csv := "\ufeffEmail,First_Name,Last_Name,Middle_Name,Password,Role,Time_Zone,Lang\r\n" +
			"one@example.com,One,Member,,password-one,3,7,ja\r\n" +
			"\"two@example.com\",\"Two, Jr.\",Manager,M,password-two,2,,\r\n" +
			"invited@example.com,In,Vited,,,,,\r\n"
		r := s.multipart("/api/user/importusercsv", map[string]string{"auth_token": token}, csv)
		r.ok(t, nil)
		if string(r.Env.Result) != "200" || *r.Env.TotalRecords != 3 {
			t.Errorf("import: %s", r.Body)
		}
		var u user
		s.login("two@example.com", "password-two", teamID)
		one := s.login("one@example.com", "password-one", teamID)
		s.form("/api/user/info", map[string]string{"auth_token": one}).ok(t, &u)
		if u.TimeZone != 7 || u.Lang != "ja" || u.RoleID != 3 {
			t.Errorf("imported member: %+v", u)
		}

		// The invited member sets a password with their invitation code.
		code := s.box.Last(t, "invited@example.com")
		if code.Kind != "invitation" {
			t.Fatalf("invited: got a %s code", code.Kind)
		}
		s.form("/api/user/activation", map[string]string{"activation_code": code.Code}).fail(t, http.StatusBadRequest, "password")
		s.form("/api/user/activation", map[string]string{"activation_code": code.Code, "password": "invited-password"}).ok(t, nil)
		s.login("invited@example.com", "invited-password", teamID)

		// One bad row: nothing is imported, and the answer lists the bad rows.
		bad := "mail_address,first_name,last_name,role\n" +
			"fine@example.com,Fine,Row,3\n" +
			"not-an-email,Bad,Row,3\n" +
			"one@example.com,Already,There,3\n" +
			"boss@example.com,Bad,Role,1\n"
		r = s.multipart("/api/user/importusercsv", map[string]string{"auth_token": token}, bad)
		r.fail(t, http.StatusBadRequest, "")
		var rows []struct {
			Line   int    `json:"line"`
			Column string `json:"column"`
			Reason string `json:"reason"`
		}
		if err := json.Unmarshal(r.Env.Result, &rows); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, row := range rows {
			got = append(got, fmt.Sprintf("%d %s", row.Line, row.Column))
		}
		if want := []string{"3 mail_address", "5 role"}; !slices.Equal(got, want) || *r.Env.TotalRecords != 2 {
			t.Errorf("bad rows: got %q (%d), want %q", got, *r.Env.TotalRecords, want)
		}
		var teams []any
		s.form("/api/user/login/checkmail", map[string]string{"email_address": "fine@example.com"}).ok(t, &teams)
		if len(teams) != 0 {
			t.Errorf("a refused import wrote fine@example.com")
		}

		for name, body := range map[string]string{
			"empty file":     "",
			"no rows":        "email,first_name,last_name\n",
			"unknown column": "email,first_name,last_name,shoe_size\na@example.com,A,B,44\n",
		} {
			t.Run(name, func(t *testing.T) {
				s.multipart("/api/user/importusercsv", map[string]string{"auth_token": token}, body).fail(t, http.StatusBadRequest, "file")
			})
		}
		t.Run("no file", func(t *testing.T) {
			s.form("/api/user/importusercsv", map[string]string{"auth_token": token}).fail(t, http.StatusBadRequest, "file")
		})
	})
}

// TestCloud689InternalError checks that a failure of the server is an
// opaque 500 whose cause is logged with the path.
func TestCloud689InternalError(t *testing.T) {
	store := storagetest.SQLite(t)
	s := newServer(t, store, httpapi.Options{})
	must(t, store.Close())
	r := s.form("/api/user/signup", map[string]string{
		"first_name": "Le", "last_name": "Tran", "email_address": "a@example.com", "business_name": "N",
		"phone": "1", "password": password, "confirm_password": password, "plan_id": "1",
	})
	r.fail(t, http.StatusInternalServerError, "")
	if r.Env.Description != "internal error" {
		t.Errorf("description %q", r.Env.Description)
	}
	if log := s.logs.String(); !strings.Contains(log, "path=/api/user/signup") || !strings.Contains(log, "database is closed") || strings.Contains(log, password) {
		t.Errorf("log: %s", log)
	}
}
