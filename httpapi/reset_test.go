package httpapi_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

// TestPasswordResetOver689 asks for reset codes for a known and an unknown
// address, which answer alike, and redeems one: the password opens every
// team of the user, and their sessions end.
func TestPasswordResetOver689(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamA, tokenA := s.activeTeam("admin@a.example")
		teamB, tokenB := s.activeTeam("admin@b.example")
		_, session := s.member(tokenA, teamA, "forgot@x.example", member)
		s.create(tokenB, "forgot@x.example", member)

		known := s.form("/api/user/forgotpassword", map[string]string{"email_address": "FORGOT@x.example"})
		known.ok(t, nil)
		unknown := s.form("/api/user/forgotpassword", map[string]string{"email_address": "nobody@x.example"})
		if !bytes.Equal(known.Body, unknown.Body) || unknown.Status != known.Status {
			t.Errorf("a known and an unknown address answer unlike: %s / %s", known.Body, unknown.Body)
		}
		s.form("/api/user/forgotpassword", map[string]string{"email_address": "nope"}).fail(t, http.StatusBadRequest, "email_address")
		code := s.box.Last(t, "forgot@x.example").Code

		reset := func(code, pw, confirm string) *reply {
			return s.form("/api/user/resetpassword", map[string]string{"reset_code": code, "new_password": pw, "confirm_new_password": confirm})
		}
		reset(code, "new-password", "other-password").fail(t, http.StatusBadRequest, "confirm_new_password")
		reset(code, "short", "short").fail(t, http.StatusBadRequest, "new_password")
		reset(s.box.Last(t, "admin@a.example").Code, "new-password", "new-password").fail(t, http.StatusBadRequest, "reset_code")
		s.form("/api/user/activation", map[string]string{"activation_code": code, "password": "new-password"}).fail(t, http.StatusBadRequest, "activation_code")
		reset(code, "new-password", "new-password").ok(t, nil)
		reset(code, "new-password", "new-password").fail(t, http.StatusBadRequest, "reset_code")

		s.form("/api/user/info", map[string]string{"auth_token": session}).fail(t, http.StatusUnauthorized, "auth_token")
		s.login("forgot@x.example", "new-password", teamA)
		s.login("forgot@x.example", "new-password", teamB)
		s.refusedLogin("forgot@x.example", password, teamB)

		s.form("/api/user/forgotpassword", map[string]string{"email_address": "forgot@x.example"}).ok(t, nil)
		s.clock.Advance(30 * time.Minute)
		reset(s.box.Last(t, "forgot@x.example").Code, "newer-password", "newer-password").fail(t, http.StatusGone, "reset_code")
	})
}
