package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
)

// TestAddressBudgetOverHTTP: failed logins at fresh accounts from one
// address spend its budget; then its logins and token requests are 429 with
// Retry-After in whole seconds, rounded up, while another address gets a
// token.
func TestAddressBudgetOverHTTP(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, st storage.Store) {
		s := newServer(t, st, httpapi.Options{}, identity.WithAddressBudget(3, time.Minute))
		teamID := s.signUp("admin@x.com")
		s.activate("admin@x.com")
		a := s.newApp(teamID, "all")
		for i := range 3 { // httptest's requests come from 192.0.2.1
			s.form("/api/user/login", map[string]string{"email_address": fmt.Sprintf("ghost%d@x.com", i), "password": "wrong-password", "team_id": teamID}).
				fail(t, http.StatusUnauthorized, "")
		}
		r := s.form("/api/user/login", map[string]string{"email_address": "admin@x.com", "password": password, "team_id": teamID})
		r.fail(t, http.StatusTooManyRequests, "")
		if got := r.Header.Get("Retry-After"); got != "60" {
			t.Errorf("login: Retry-After %q, want 60", got)
		}
		s.clock.Advance(1500 * time.Millisecond)
		r = s.tokenRequest("192.0.2.1", formType, grant(a.clientID, a.secret))
		r.refused(t, http.StatusTooManyRequests, "too_many_attempts", "")
		if got := r.Header.Get("Retry-After"); got != "59" { // 58.5 s, rounded up
			t.Errorf("token: Retry-After %q, want 59", got)
		}
		s.tokenRequest("198.51.100.7", formType, grant(a.clientID, a.secret)).data(t, nil)
	})
}
