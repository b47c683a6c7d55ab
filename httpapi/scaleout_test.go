package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
)

// TestTwoServersShareOneStore runs two servers, each with its own service
// and connection pool, on one Postgres database, as a host scaled out to
// two processes does: what one issues the other honours and revokes,
// lockout counts across both, and creates of one contact give one user.
func TestTwoServersShareOneStore(t *testing.T) {
	dsn := storagetest.PostgresDSN(t)
	one := newServer(t, storagetest.OpenMigrated(t, dsn), httpapi.Options{})
	two := newServer(t, storagetest.OpenMigrated(t, dsn), httpapi.Options{})

	teamID := one.signUp("admin@x.com")
	one.activate("admin@x.com")
	session := one.login("admin@x.com", password, teamID)
	two.form("/api/user/info", map[string]string{"auth_token": session}).ok(t, nil)
	two.form("/api/user/logout", map[string]string{"access_token": session}).ok(t, nil)
	one.form("/api/user/info", map[string]string{"auth_token": session}).fail(t, http.StatusUnauthorized, "auth_token")

	a := one.newApp(teamID, "all")
	var profile map[string]any
	created := two.post(a.token, "/api/v5/entity/user/create", map[string]string{"corp_id": teamID, "email": "u@x.com"})
	created.data(t, &profile)
	one.get(a.token, "/api/v5/entity/profile/fetch", map[string]string{"corp_id": teamID, "user_id": profile["user_id"].(string)}).data(t, nil)

	for i := range identity.DefaultLockoutFailures {
		s := [2]*server{one, two}[i%2]
		s.form("/api/user/login", map[string]string{"email_address": "admin@x.com", "password": "wrong-password", "team_id": teamID}).fail(t, http.StatusUnauthorized, "")
	}
	two.form("/api/user/login", map[string]string{"email_address": "admin@x.com", "password": password, "team_id": teamID}).fail(t, http.StatusTooManyRequests, "")

	servers := []*server{one, two}
	ids := testkit.CreateOneMobile(t, 40, teamID, func(i int, body string) (int, []byte, error) {
		req := httptestRequest(http.MethodPost, "/api/v5/entity/user/create", body)
		req.Header.Set("Authorization", "Bearer "+a.token)
		rec := httptest.NewRecorder()
		servers[i%2].handler.ServeHTTP(rec, req)
		return rec.Code, rec.Body.Bytes(), nil
	})
	if len(ids) != 1 {
		t.Fatalf("40 creates of one mobile through two servers gave %d users: %v", len(ids), ids)
	}
}

// TestStoreFailureEnvelopes closes the store under a running server: every
// family answers a 5xx in its own envelope, validated by the shared helper
// against the reference, without the cause.
func TestStoreFailureEnvelopes(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, st storage.Store) {
		s := newServer(t, st, httpapi.Options{})
		teamID, session := s.activeTeam("admin@x.com")
		a := s.newApp(teamID, "all")
		if err := st.(*storage.DB).Bun().DB.Close(); err != nil {
			t.Fatal(err)
		}
		replies := map[string]*reply{
			"689Cloud": s.form("/api/user/info", map[string]string{"auth_token": session}),
			"token":    s.form("/api/v2/tenant/token", map[string]string{"grant_type": "client_credentials", "client_id": a.clientID, "client_secret": a.secret}),
			"v5":       s.get(a.token, "/api/v5/entity/profile/fetch", map[string]string{"corp_id": teamID, "user_id": "x"}),
			"tenant":   s.call(a.token, http.MethodGet, "/api/v2/tenant/users/x", ""),
			"portal":   s.post(a.token, "/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": teamID, "email": "a@x.com"}),
		}
		for family, r := range replies {
			if r.Status != http.StatusInternalServerError || strings.Contains(string(r.Body), "closed") {
				t.Errorf("%s: status %d, body %s", family, r.Status, r.Body)
			}
		}
		if !strings.Contains(s.logs.String(), "database is closed") {
			t.Errorf("the cause was not logged: %s", s.logs)
		}
	})
}

// TestReconnectsAfterConnectionsDrop kills every connection the server's
// pool holds, as a Postgres restart does: requests may fail while the pool
// finds out, in the family's envelope, and then succeed again without
// restarting anything.
func TestReconnectsAfterConnectionsDrop(t *testing.T) {
	dsn := storagetest.PostgresDSN(t) + "&application_name=identity_reconnect_test"
	st := storagetest.OpenMigrated(t, dsn)
	s := newServer(t, st, httpapi.Options{})
	teamID := s.newTeam("Acme", "acme.example")
	a := s.newApp(teamID, "all")
	s.post(a.token, "/api/v5/entity/user/create", map[string]string{"corp_id": teamID, "email": "u@x.com"}).data(t, nil)

	admin, err := storage.Open(context.Background(), dsn) // no migration: it only kills connections
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var killed int
	err = admin.Bun().NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = 'identity_reconnect_test' AND pid <> pg_backend_pid()`).Scan(context.Background(), &killed)
	if err != nil || killed == 0 {
		t.Fatalf("terminated %d connections: %v", killed, err)
	}

	failed := 0
	for i := range 10 {
		r := s.post(a.token, "/api/v5/entity/user/create", map[string]string{"corp_id": teamID, "email": fmt.Sprintf("after%d@x.com", i)})
		switch {
		case r.Status == http.StatusOK:
		case r.Status >= 500 && i < 5:
			failed++ // the pool is finding out; the envelope was checked by do
		default:
			t.Fatalf("request %d after the drop: status %d %s", i, r.Status, r.Body)
		}
	}
	if r := s.get(a.token, "/api/v5/entity/profile/fetch", map[string]string{"corp_id": teamID, "user_id": "none"}); r.Status != http.StatusNotFound {
		t.Fatalf("the server did not recover: status %d", r.Status)
	}
	t.Logf("%d connections dropped; %d requests failed before the pool recovered", killed, failed)
}
