package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
)

// session689 is a session as sessions lists it.
type session689 struct {
	ID         string  `json:"id"`
	CreatedAt  string  `json:"created_at"`
	LastSeenAt string  `json:"last_seen_at"`
	ExpiresAt  string  `json:"expires_at"`
	IPAddress  *string `json:"ip_address"`
	Current    bool    `json:"current"`
}

// sessions lists the sessions of token's user.
func (s *server) sessions(token string) []session689 {
	s.t.Helper()
	var list []session689
	r := s.form("/api/user/sessions", map[string]string{"auth_token": token})
	r.ok(s.t, &list)
	if *r.Env.TotalRecords != len(list) {
		s.t.Errorf("sessions: total_records %d for %d sessions", *r.Env.TotalRecords, len(list))
	}
	return list
}

// current returns the ID of the current session in list.
func current(t *testing.T, list []session689) string {
	t.Helper()
	for _, s := range list {
		if s.Current {
			return s.ID
		}
	}
	t.Fatalf("no current session in %+v", list)
	return ""
}

// TestCloud689SessionList: sessions lists the caller's own sessions with an
// id that is not the token, their times and address, and which is current.
func TestCloud689SessionList(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamID, adminToken := s.activeTeam("admin@example.com")
		_, memberToken := s.member(adminToken, teamID, "mem@example.com", member)
		s.clock.Advance(10 * time.Minute)
		kept := s.form("/api/user/login", map[string]string{"email_address": "admin@example.com", "password": password, "team_id": teamID, "keep_me_login": "true"})
		var keep struct {
			SessionID string `json:"session_id"`
		}
		kept.ok(t, &keep)

		list := s.sessions(keep.SessionID)
		if len(list) != 2 {
			t.Fatalf("sessions = %+v, want the admin's two", list)
		}
		ip := "192.0.2.1" // httptest's client address
		want := []session689{
			{CreatedAt: "2026/11/24 09:10:00", LastSeenAt: "2026/11/24 09:10:00", ExpiresAt: "2026/12/24 09:10:00", IPAddress: &ip, Current: true},
			{CreatedAt: "2026/11/24 09:00:00", LastSeenAt: "2026/11/24 09:00:00", ExpiresAt: "2026/11/24 21:00:00", IPAddress: &ip},
		}
		for i, w := range want {
			g := list[i]
			if g.ID == "" || g.ID == keep.SessionID || g.ID == adminToken || g.CreatedAt != w.CreatedAt || g.LastSeenAt != w.LastSeenAt ||
				g.ExpiresAt != w.ExpiresAt || g.IPAddress == nil || *g.IPAddress != ip || g.Current != w.Current {
				t.Errorf("session %d = %+v, want %+v and an id that is not the token", i, g, w)
			}
		}
		for _, m := range s.sessions(memberToken) {
			if m.ID == list[0].ID || m.ID == list[1].ID {
				t.Errorf("the member's sessions list the admin's %s", m.ID)
			}
		}
	})
}

// TestCloud689SessionRevoke: the caller ends one session by its id or every
// other one; an admin ends a member's; the refusals name their field.
func TestCloud689SessionRevoke(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamID, adminToken := s.activeTeam("admin@example.com")
		_, otherAdmin := s.activeTeam("other@example.com")
		mem, memberToken := s.member(adminToken, teamID, "mem@example.com", member)
		one, two := s.login("admin@example.com", password, teamID), s.login("admin@example.com", password, teamID)
		oneID := current(t, s.sessions(one))
		revoke := func(token string, params map[string]string) *reply {
			params["auth_token"] = token
			return s.form("/api/user/sessions/revoke", params)
		}
		info := func(token string) *reply { return s.form("/api/user/info", map[string]string{"auth_token": token}) }

		revoke(adminToken, map[string]string{}).fail(t, http.StatusBadRequest, "session_id")
		revoke(adminToken, map[string]string{"session_id": oneID, "all": "true"}).fail(t, http.StatusBadRequest, "session_id")
		revoke(adminToken, map[string]string{"all": "maybe"}).fail(t, http.StatusBadRequest, "all")
		revoke(adminToken, map[string]string{"session_id": "nope"}).fail(t, http.StatusNotFound, "session_id")
		revoke(otherAdmin, map[string]string{"session_id": oneID}).fail(t, http.StatusNotFound, "session_id")
		revoke(memberToken, map[string]string{"session_id": oneID}).fail(t, http.StatusNotFound, "session_id")
		revoke(memberToken, map[string]string{"user_id": mem.UserID + "x", "all": "true"}).fail(t, http.StatusNotFound, "user_id")
		info(one).ok(t, nil)

		var res struct {
			Revoked int `json:"revoked"`
		}
		revoke(adminToken, map[string]string{"session_id": oneID}).ok(t, &res)
		info(one).fail(t, http.StatusUnauthorized, "auth_token")
		if res.Revoked != 1 {
			t.Errorf("revoked %d, want 1", res.Revoked)
		}
		revoke(adminToken, map[string]string{"all": "true"}).ok(t, &res)
		info(two).fail(t, http.StatusUnauthorized, "auth_token")
		info(adminToken).ok(t, nil)
		if res.Revoked != 1 {
			t.Errorf("all=true revoked %d, want 1", res.Revoked)
		}

		adminID := s.form("/api/user/info", map[string]string{"auth_token": adminToken})
		var me user
		adminID.ok(t, &me)
		revoke(memberToken, map[string]string{"user_id": me.UserID, "all": "true"}).fail(t, http.StatusForbidden, "user_id")
		revoke(adminToken, map[string]string{"user_id": mem.UserID, "all": "true"}).ok(t, &res)
		info(memberToken).fail(t, http.StatusUnauthorized, "auth_token")
		info(adminToken).ok(t, nil)

		// A password change ends every other session of the user.
		other := s.login("admin@example.com", password, teamID)
		const next = "c33367701511b4f6020ec61ded352059"
		s.form("/api/user/changepassword", map[string]string{
			"auth_token": adminToken, "confirm_old_password": password, "new_password": next, "confirm_new_password": next,
		}).ok(t, nil)
		info(other).fail(t, http.StatusUnauthorized, "auth_token")
		if left := s.sessions(adminToken); len(left) != 1 || !left[0].Current {
			t.Errorf("after a password change the sessions are %+v, want only the current one", left)
		}
	})
}

// TestCloud689SessionMaxAge: a session used every half second ends at its
// maximum age, told apart by nothing from any other ended session.
func TestCloud689SessionMaxAge(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, st storage.Store) {
		s := newServer(t, st, httpapi.Options{}, identity.WithSessionMaxAge(10*time.Second, time.Minute))
		teamID, _ := s.activeTeam("age@example.com")
		token := s.login("age@example.com", password, teamID)
		for used := 500 * time.Millisecond; used < 10*time.Second; used += 500 * time.Millisecond {
			s.clock.Advance(500 * time.Millisecond)
			s.sessions(token)
		}
		s.clock.Advance(500 * time.Millisecond)
		s.form("/api/user/sessions", map[string]string{"auth_token": token}).fail(t, http.StatusUnauthorized, "auth_token")
	})
}

// TestSessionMaxAgeOnARealServer: on a real http.Server and the real clock,
// a session used every half second ends at its maximum age.
func TestSessionMaxAgeOnARealServer(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, st storage.Store) {
		const maxAge = 2 * time.Second
		s := newServer(t, st, httpapi.Options{}, identity.WithSessionMaxAge(maxAge, time.Minute), identity.WithClock(time.Now))
		teamID, _ := s.activeTeam("real@example.com")
		srv := httptest.NewServer(s.handler)
		defer srv.Close()
		post := func(path string, params url.Values, result any) int {
			res, err := http.PostForm(srv.URL+path, params)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if result != nil {
				var env struct{ Result any }
				env.Result = result
				if err := json.NewDecoder(res.Body).Decode(&env); err != nil {
					t.Fatal(err)
				}
			}
			return res.StatusCode
		}
		loginSent := time.Now()
		var login struct {
			SessionID string `json:"session_id"`
		}
		if status := post("/api/user/login", url.Values{"email_address": {"real@example.com"}, "password": {password}, "team_id": {teamID}}, &login); status != http.StatusOK {
			t.Fatalf("login: status %d", status)
		}
		loginDone := time.Now()
		uses := 0
		for {
			time.Sleep(500 * time.Millisecond)
			sent := time.Now()
			status := post("/api/user/sessions", url.Values{"auth_token": {login.SessionID}}, nil)
			done := time.Now()
			switch {
			case status == http.StatusOK && !sent.Before(loginDone.Add(maxAge)):
				t.Fatalf("the session answered %s after it was opened, past its maximum age %s", sent.Sub(loginDone), maxAge)
			case status == http.StatusOK:
				uses++
				continue
			case status != http.StatusUnauthorized:
				t.Fatalf("status %d", status)
			case done.Before(loginSent.Add(maxAge)):
				t.Fatalf("the session ended %s after it was opened, before its maximum age %s", done.Sub(loginSent), maxAge)
			}
			break
		}
		if uses < 2 || !strings.HasPrefix(srv.URL, "http://127.0.0.1") {
			t.Errorf("used %d times before it ended on %s, want at least 2 on a real listener", uses, srv.URL)
		}
	})
}
