package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestTenantDocumentedRequests replays the requests of the tenant v2
// documents and checks the documented answers.
func TestTenantDocumentedRequests(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", ""), "user_read")
		writer := s.newApp(a.teamID, "user_all")
		u := s.created(writer, "15204130007", "15204130007@example.com")
		s.clock.Advance(1500 * time.Millisecond)
		s.post(writer.token, "/api/v5/entity/user/email/update", map[string]string{"corp_id": a.teamID, "user_id": u, "email": "15204130007@example.com"}).data(t, nil)

		// The example asks for 15204130006, which nobody here has: the
		// documented error.
		byMobile := func(body string) *reply {
			return s.call(a.token, http.MethodPost, "/api/v2/tenant/users/user-by-mobile", body)
		}
		r := byMobile(`{
"mobile": "15204130006"
}`)
		r.refused(t, http.StatusBadRequest, "USER.0001", "")
		if r.Message != "User does not exist" {
			t.Errorf("error_msg %q", r.Message)
		}

		r = byMobile(`{"mobile": "15204130007"}`)
		var got map[string]any
		r.data(t, &got)
		sameShape(t, r.Body, example(t, http.MethodPost, "/api/v2/tenant/users/user-by-mobile"))
		want := map[string]any{
			"user_id": u, "org_id": a.teamID, "mobile": "+86-15204130007", "email": "15204130007@example.com",
			"pwd_must_modify": false, "disabled": false, "locked": false, "grade": 1.0,
			"created_at": "2026-11-24 09:00:00.000", "updated_at": "2026-11-24 09:00:01.500",
			"user_org_relation_list": []any{map[string]any{"org_id": a.teamID, "relation_type": 1.0}},
			"extension":              map[string]any{},
		}
		for k, v := range got {
			if !equalJSON(v, want[k]) {
				t.Errorf("%s = %v, want %v", k, v, want[k])
			}
		}
		if _, ok := got["jobs"]; ok {
			t.Errorf("jobs is answered")
		}

		for _, mobile := range []string{"+86-15204130007", "+8615204130007", "+86 152 0413 0007", "(+86) 152-0413-0007", "0086 15204130007", " 152 0413 0007 "} {
			var again map[string]any
			s.post(a.token, "/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": mobile}).data(t, &again)
			if !equalJSON(again, got) {
				t.Errorf("by %q: %v", mobile, again)
			}
		}

		r = s.call(a.token, http.MethodGet, "/api/v2/tenant/users/"+u, "")
		var byID map[string]any
		r.data(t, &byID)
		sameShape(t, r.Body, example(t, http.MethodGet, "/api/v2/tenant/users/{user_id}"))
		if !equalJSON(byID, got) {
			t.Errorf("by ID: %s", r.Body)
		}
	})
}

// TestTenantNames checks the names of a member with names.
func TestTenantNames(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", ""), "read")
		amy := s.operatorMember(a.teamID, "Amy", "Acker", "amy@example.com")
		var u map[string]any
		s.call(a.token, http.MethodGet, "/api/v2/tenant/users/"+amy, "").data(t, &u)
		if u["name"] != "Amy Acker" || u["first_name"] != "Amy" || u["last_name"] != "Acker" || u["middle_name"] != nil ||
			u["user_name"] != nil || u["mobile"] != nil || u["email"] != "amy@example.com" || u["pwd_change_at"] == nil {
			t.Errorf("a member with names: %v", u)
		}
	})
}

// TestTenantErrors checks the refusals of the tenant v2 family.
func TestTenantErrors(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", ""), "all")
		s.created(a, "15204130007", "")
		tests := []struct {
			name         string
			method, path string
			body         string
			status       int
			code, field  string
		}{
			{"unparseable mobile", "POST", "/api/v2/tenant/users/user-by-mobile", `{"mobile":"152-ABC"}`, 400, "PARAM.0001", "mobile"},
			{"unknown country code", "POST", "/api/v2/tenant/users/user-by-mobile", `{"mobile":"+999 1234"}`, 400, "PARAM.0001", "mobile"},
			{"no mobile", "POST", "/api/v2/tenant/users/user-by-mobile", `{}`, 400, "PARAM.0001", "mobile"},
			{"malformed JSON", "POST", "/api/v2/tenant/users/user-by-mobile", `{"mobile":`, 400, "PARAM.0001", "body"},
			{"not an object", "POST", "/api/v2/tenant/users/user-by-mobile", `["15204130007"]`, 400, "PARAM.0001", "body"},
			{"no such member", "POST", "/api/v2/tenant/users/user-by-mobile", `{"mobile":"13888888888"}`, 400, "USER.0001", ""},
			{"unknown user ID", "GET", "/api/v2/tenant/users/0123456789abcdef0123456789abcdef", "", 400, "USER.0001", ""},
			{"too large", "POST", "/api/v2/tenant/users/user-by-mobile", `{"mobile":"` + strings.Repeat("1", 1<<20) + `"}`, 413, "PARAM.0002", "body"},
			{"user-by-mobile by GET", "GET", "/api/v2/tenant/users/user-by-mobile", "", 405, "API.0002", ""},
			{"user by POST", "POST", "/api/v2/tenant/users/0123456789abcdef0123456789abcdef", "", 405, "API.0002", ""},
			{"unknown path", "GET", "/api/v2/tenant/groups", "", 404, "API.0001", ""},
			{"path under a user", "GET", "/api/v2/tenant/users/a/b", "", 404, "API.0001", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := s.call(a.token, tt.method, tt.path, tt.body)
				r.refused(t, tt.status, tt.code, tt.field)
				if tt.status == http.StatusMethodNotAllowed && r.Header.Get("Allow") == "" {
					t.Errorf("no Allow")
				}
			})
		}
	})
}
