package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/team"
)

const (
	revokePath     = "/api/v2/tenant/token/revoke"
	introspectPath = "/api/v2/tenant/token/introspect"
)

// withToken returns the form of a client's request about a token.
func withToken(clientID, secret, token string, more ...string) string {
	v := url.Values{"client_id": {clientID}, "client_secret": {secret}, "token": {token}}
	for i := 0; i+1 < len(more); i += 2 {
		v.Set(more[i], more[i+1])
	}
	return v.Encode()
}

// bearerWorks reports whether the application's access token is accepted
// by a v5 endpoint: the request lacks a user ID, but is authenticated first.
func (s *server) bearerWorks(a app) bool {
	s.t.Helper()
	r := s.call(a.token, http.MethodGet, "/api/v5/entity/profile/fetch?corp_id="+a.teamID, "")
	return r.Status != http.StatusUnauthorized
}

// TestIntrospectAndRevoke replays RFC 7662 and RFC 7009 exchanges: a client
// sees and ends its own tokens only, with either form of client
// authentication.
func TestIntrospectAndRevoke(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", ""), "read,user_all")
		stranger := s.newApp(s.newTeam("Stranger", ""), "all")
		inactive := `{"active":false}`
		live := fmt.Sprintf(`{"active":true,"client_id":%q,"scope":"read user_all","exp":%d,"iat":%d,"token_type":"Bearer"}`,
			a.clientID, start.Add(30*time.Minute).Unix(), start.Unix())
		exchange := func(path, body string, header []string, want string) {
			t.Helper()
			r := s.oauthRequest(path, "192.0.2.1", formType, body, header...)
			r.data(t, nil)
			if !equalJSONText(r.Data, want) {
				t.Fatalf("%s: got %s, want %s", path, r.Data, want)
			}
		}
		exchange(introspectPath, withToken(a.clientID, a.secret, a.token), nil, live)
		exchange(introspectPath, "token="+a.token+"&token_type_hint=access_token", []string{"Authorization", basic(a.clientID, a.secret)}, live)
		exchange(introspectPath, withToken(stranger.clientID, stranger.secret, a.token), nil, inactive)
		exchange(introspectPath, withToken(a.clientID, a.secret, "no-such-token"), nil, inactive)

		// Another client's token, or an unknown one, is answered alike and
		// left alone; an unknown hint is ignored.
		exchange(revokePath, withToken(stranger.clientID, stranger.secret, a.token), nil, `{}`)
		if !s.bearerWorks(a) {
			t.Fatal("another client revoked the token")
		}
		exchange(revokePath, withToken(a.clientID, a.secret, "no-such-token", "token_type_hint", "refresh_token"), nil, `{}`)
		exchange(revokePath, withToken(a.clientID, a.secret, a.token, "token_type_hint", "no_such_hint"), nil, `{}`)
		if s.bearerWorks(a) {
			t.Fatal("a revoked token still works")
		}
		exchange(introspectPath, withToken(a.clientID, a.secret, a.token), nil, inactive)
		exchange(revokePath, "token="+a.token, []string{"Authorization", basic(a.clientID, a.secret)}, `{}`)

		s.clock.Advance(30 * time.Minute)
		exchange(introspectPath, withToken(stranger.clientID, stranger.secret, stranger.token), nil, inactive)
	})
}

// TestIntrospectAndRevokeErrors checks that both endpoints refuse a client
// that does not authenticate, with 401, and a request without a token.
func TestIntrospectAndRevokeErrors(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", ""), "all")
		off := s.newApp(s.newTeam("Disabled", ""), "all")
		if _, err := s.svc.DisableApplication(context.Background(), off.clientID); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name        string
			body        string
			header      []string
			status      int
			code, field string
			challenged  bool // answered with WWW-Authenticate: Basic
		}{
			{"no client authentication", "token=" + a.token, nil, 401, "invalid_client", "client_id", true},
			{"no secret", "client_id=" + a.clientID + "&token=" + a.token, nil, 401, "invalid_client", "client_id", true},
			{"no client ID", "client_secret=" + a.secret + "&token=" + a.token, nil, 401, "invalid_client", "client_id", true},
			{"wrong secret", withToken(a.clientID, "wrong", a.token), nil, 401, "invalid_client", "client_secret", false},
			{"Basic with a wrong secret", "token=" + a.token, []string{"Authorization", basic(a.clientID, "wrong")}, 401, "invalid_client", "client_secret", true},
			{"malformed Basic", "token=" + a.token, []string{"Authorization", "Basic !!!"}, 401, "invalid_client", "Authorization", true},
			{"disabled application", withToken(off.clientID, off.secret, off.token), nil, 401, "invalid_client", "client_id", false},
			{"no token", withToken(a.clientID, a.secret, ""), nil, 400, "invalid_request", "token", false},
			{"Basic and a secret in the body", withToken(a.clientID, a.secret, a.token), []string{"Authorization", basic(a.clientID, a.secret)}, 400, "invalid_request", "client_secret", false},
			{"malformed form", "token=%zz", nil, 400, "invalid_request", "body", false},
			{"too large", withToken(a.clientID, a.secret, a.token) + "&x=" + strings.Repeat("a", 1<<20), nil, 413, "invalid_request", "body", false},
		}
		for _, path := range []string{revokePath, introspectPath} {
			for _, tt := range tests {
				t.Run(path+"/"+tt.name, func(t *testing.T) {
					r := s.oauthRequest(path, "192.0.2.1", formType, tt.body, tt.header...)
					r.refused(t, tt.status, tt.code, tt.field)
					if challenged := r.Header.Get("WWW-Authenticate") == `Basic realm="identity"`; challenged != tt.challenged {
						t.Errorf("WWW-Authenticate %q", r.Header.Get("WWW-Authenticate"))
					}
				})
			}
			t.Run(path+"/wrong method", func(t *testing.T) {
				r := s.do(httptest.NewRequest(http.MethodGet, path, nil))
				r.refused(t, http.StatusMethodNotAllowed, "invalid_request", "")
			})
		}
		if !s.bearerWorks(a) {
			t.Fatal("a refused request ended the token")
		}
	})
}

// TestManagedApplicationOverHTTP checks what an operator's changes of an
// application do to its clients over HTTP, at once on the same server:
// disabling refuses its secret and its live token, enabling lets it get a
// new token, rotating refuses the old secret, and new permissions show in
// the scope.
func TestManagedApplicationOverHTTP(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		ctx := context.Background()
		a := s.newApp(s.newTeam("Acme", ""), "all")
		if !s.bearerWorks(a) {
			t.Fatal("a new token is refused")
		}
		if _, err := s.svc.DisableApplication(ctx, a.clientID); err != nil {
			t.Fatal(err)
		}
		if s.bearerWorks(a) {
			t.Fatal("a disabled application's token still works")
		}
		s.tokenRequest("192.0.2.1", formType, grant(a.clientID, a.secret)).refused(t, http.StatusUnauthorized, "invalid_client", "client_id")
		if _, err := s.svc.EnableApplication(ctx, a.clientID); err != nil {
			t.Fatal(err)
		}
		if s.bearerWorks(a) {
			t.Fatal("enabling brought an ended token back")
		}
		a.token = s.tokenFor(a.clientID, a.secret)
		if !s.bearerWorks(a) {
			t.Fatal("a token of the enabled application is refused")
		}

		if _, err := s.svc.SetApplicationPermissions(ctx, a.clientID, []team.Permission{team.PermRead}); err != nil {
			t.Fatal(err)
		}
		var scope struct{ Scope string }
		s.oauthRequest(introspectPath, "192.0.2.1", formType, withToken(a.clientID, a.secret, a.token)).data(t, &scope)
		if scope.Scope != "read" {
			t.Fatalf("scope after new permissions: %q", scope.Scope)
		}

		rotated, err := s.svc.RotateSecret(ctx, a.clientID)
		if err != nil {
			t.Fatal(err)
		}
		s.secrets = append(s.secrets, rotated.Secret)
		s.tokenRequest("192.0.2.1", formType, grant(a.clientID, a.secret)).refused(t, http.StatusUnauthorized, "invalid_client", "client_secret")
		if s.bearerWorks(a) {
			t.Fatal("a token issued before the rotation still works")
		}
		a.secret, a.token = rotated.Secret, s.tokenFor(a.clientID, rotated.Secret)
		if !s.bearerWorks(a) {
			t.Fatal("a token of the new secret is refused")
		}
	})
}
