package httpapi_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestUnstorableBytes replays the requests that once answered "internal
// error" on Postgres (SQLSTATE 22021 or an int4 overflow) while SQLite took
// them: a NUL or invalid UTF-8 in a parameter or a path wildcard, and a
// plan_id beyond what its column holds. Each is a 400 that names the
// parameter, on both backends.
func TestUnstorableBytes(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamID, token := s.activeTeam("admin@example.com")
		mem := s.create(token, "member@example.com", member)
		a := s.newApp(s.newTeam("Entity", ""), "all")
		signup := map[string]string{
			"first_name": "Le", "last_name": "Tran", "email_address": "new@example.com", "business_name": "NIT",
			"phone": "0908296906", "password": password, "confirm_password": password, "plan_id": "1",
		}
		teamProfile := map[string]string{"auth_token": token, "team_update_id": teamID, "team_name": "T", "phone_number": "1", "company_size": "1-50"}
		for _, c := range []struct {
			name, endpoint string
			params         map[string]string
			field          string
		}{
			{"profile user_id NUL", "profile", map[string]string{"auth_token": token, "user_id": "a\x00b"}, "user_id"},
			{"profile user_id not UTF-8", "profile", map[string]string{"auth_token": token, "user_id": "\xffabc"}, "user_id"},
			{"login team_id NUL", "login", map[string]string{"email_address": "admin@example.com", "password": password, "team_id": teamID + "\x00"}, "team_id"},
			{"project project_id NUL", "project", map[string]string{"auth_token": token, "project_id": "a\x00b"}, "project_id"},
			{"remove user_id NUL", "remove", map[string]string{"auth_token": token, "user_id": mem.UserID + "\x00"}, "user_id"},
			{"update user_update_id NUL", "update", map[string]string{"auth_token": token, "user_update_id": "a\x00b", "first_name": "A", "last_name": "B"}, "user_update_id"},
			{"update first_name not UTF-8", "update", map[string]string{"auth_token": token, "user_update_id": mem.UserID, "first_name": "\xc3", "last_name": "B"}, "first_name"},
			{"signup plan_id beyond int4", "signup", withParam(signup, "plan_id", "2147483648"), "plan_id"},
			{"signup plan_id beyond int64", "signup", withParam(signup, "plan_id", "99999999999999999999"), "plan_id"},
			{"updateteamprofile plan_id beyond int4", "updateteamprofile", withParam(teamProfile, "plan_id", "2147483648"), "plan_id"},
			{"updateteamprofile team_name NUL", "updateteamprofile", withParam(teamProfile, "team_name", "T\x00"), "team_name"},
			{"list page_size beyond int4", "list", map[string]string{"auth_token": token, "page_size": "4294967297"}, "page_size"},
		} {
			t.Run(c.name, func(t *testing.T) {
				s.form("/api/user/"+c.endpoint, c.params).fail(t, http.StatusBadRequest, c.field)
			})
		}

		t.Run("tenant path user_id not UTF-8", func(t *testing.T) {
			s.call(a.token, http.MethodGet, "/api/v2/tenant/users/%ffabc", "").refused(t, http.StatusBadRequest, "PARAM.0001", "user_id")
		})
		t.Run("tenant path user_id NUL", func(t *testing.T) {
			s.call(a.token, http.MethodGet, "/api/v2/tenant/users/a%00b", "").refused(t, http.StatusBadRequest, "PARAM.0001", "user_id")
		})
		t.Run("tenant path user_id given again in the query", func(t *testing.T) {
			s.call(a.token, http.MethodGet, "/api/v2/tenant/users/"+mem.UserID+"?user_id=x", "").refused(t, http.StatusBadRequest, "PARAM.0001", "user_id")
		})
		t.Run("token client_id not UTF-8", func(t *testing.T) {
			s.form("/api/v2/tenant/token", map[string]string{"grant_type": "client_credentials", "client_id": "\xff", "client_secret": "x"}).
				refused(t, http.StatusBadRequest, "invalid_request", "client_id")
		})
		t.Run("token Basic client_id not UTF-8", func(t *testing.T) {
			basic := http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte("%ff:x"))}}
			s.send(http.MethodPost, "/api/v2/tenant/token", "application/x-www-form-urlencoded", strings.NewReader("grant_type=client_credentials"), basic).
				refused(t, http.StatusBadRequest, "invalid_request", "client_id")
		})
		v5 := func(params map[string]string) map[string]string {
			params["corp_id"] = a.teamID
			return params
		}
		t.Run("v5 profile/fetch user_id NUL", func(t *testing.T) {
			s.get(a.token, "/api/v5/entity/profile/fetch", v5(map[string]string{"user_id": "a\x00b"})).refused(t, http.StatusBadRequest, "40000", "user_id")
		})
		t.Run("v5 owner/update owner_id NUL", func(t *testing.T) {
			s.post(a.token, "/api/v5/entity/user/owner/update", v5(map[string]string{"user_id": "a", "owner_id": "b\x00", "event_type": "add"})).
				refused(t, http.StatusBadRequest, "40000", "owner_id")
		})
		t.Run("v5 corp_id not UTF-8", func(t *testing.T) {
			s.get(a.token, "/api/v5/entity/profile/fetch", map[string]string{"corp_id": "\xfe", "user_id": "a"}).refused(t, http.StatusBadRequest, "40000", "corp_id")
		})
	})
}

// TestUnknownParametersAreIgnored sends parameters an endpoint does not
// take, with bytes it would refuse in one it takes: each endpoint answers
// as if they were not sent, and still checks the ones it takes.
func TestUnknownParametersAreIgnored(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		_, token := s.activeTeam("admin@example.com")
		a := s.newApp(s.newTeam("Tenant", "CN"), "all")
		bad := "x\x00" + strings.Repeat("y", 2000)
		s.post(a.token, "/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": "15204130007", "event_type": bad}).
			refused(t, http.StatusBadRequest, "USER.0001", "")
		s.post(a.token, "/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": "1520\x00"}).
			refused(t, http.StatusBadRequest, "PARAM.0001", "mobile")
		s.form("/api/user/info", map[string]string{"auth_token": token, "user_id": bad, "first_name": "\xff"}).ok(t, nil)
		s.form("/api/user/profile", map[string]string{"auth_token": token, "user_id": "\xff"}).fail(t, http.StatusBadRequest, "user_id")
	})
}

// TestDocumentedParametersAreChecked sends a NUL in each parameter the
// endpoint reference documents, every other one valid: each is a 400 that
// names it, so that no endpoint ignores a parameter it takes.
func TestDocumentedParametersAreChecked(t *testing.T) {
	fx := newFuzzFixture(t)
	for _, p := range fx.targets {
		if p.in == "header" || p.in == "path" {
			continue
		}
		fx.refresh(t)
		rec := httptest.NewRecorder()
		fx.s.handler.ServeHTTP(rec, fx.request(p, "a\x00b"))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), p.name) {
			t.Errorf("%s with a NUL: %d %s", p, rec.Code, rec.Body)
		}
	}
}
