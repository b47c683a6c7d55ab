package httpapi_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage/storagetest"
)

// tokenRequest posts body to the token endpoint from address, with header
// names and values in pairs.
func (s *server) tokenRequest(address, contentType, body string, header ...string) *reply {
	s.t.Helper()
	return s.oauthRequest("/api/v2/tenant/token", address, contentType, body, header...)
}

// oauthRequest posts body to the OAuth endpoint at path from address, with
// header names and values in pairs.
func (s *server) oauthRequest(path, address, contentType, body string, header ...string) *reply {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.RemoteAddr = address + ":40000"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return s.do(req)
}

// grant returns the form of a client credentials grant.
func grant(clientID, secret string) string {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}.Encode()
}

func basic(clientID, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(clientID+":"+secret))
}

const formType = "application/x-www-form-urlencoded"

// TestTokenDocumentedRequest replays the tenant document's request for an
// access credential and checks the answer.
func TestTokenDocumentedRequest(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", ""), "read,all")
		r := s.tokenRequest("192.0.2.1", formType, grant(a.clientID, a.secret))
		var tok struct {
			AccessToken string `json:"access_token"`
			TokenType   string `json:"token_type"`
			ExpiresIn   int    `json:"expires_in"`
			Scope       string `json:"scope"`
		}
		r.data(t, &tok)
		sameShape(t, r.Body, example(t, http.MethodPost, "/api/v2/tenant/token"))
		if len(tok.AccessToken) < 43 || tok.TokenType != "Bearer" || tok.ExpiresIn != 1800 || tok.Scope != "all read" {
			t.Errorf("token: %s", r.Body)
		}
		s.call(tok.AccessToken, http.MethodGet, "/api/v2/tenant/users/nobody", "").refused(t, http.StatusBadRequest, "USER.0001", "")

		// A new token does not revoke the earlier ones.
		s.clock.Advance(time.Minute)
		newer := s.tokenFor(a.clientID, a.secret)
		for _, token := range []string{a.token, tok.AccessToken, newer} {
			s.call(token, http.MethodGet, "/api/v2/tenant/users/nobody", "").refused(t, http.StatusBadRequest, "USER.0001", "")
		}
	})
}

// TestTokenLifetime checks that expires_in follows the service's token
// lifetime.
func TestTokenLifetime(t *testing.T) {
	s := newServer(t, storagetest.SQLite(t), httpapi.Options{}, identity.WithTokenTTL(10*time.Minute))
	a := s.newApp(s.newTeam("Acme", ""), "user_read")
	var tok struct {
		ExpiresIn int    `json:"expires_in"`
		Scope     string `json:"scope"`
	}
	s.tokenRequest("192.0.2.1", formType, grant(a.clientID, a.secret)).data(t, &tok)
	if tok.ExpiresIn != 600 || tok.Scope != "user_read" {
		t.Errorf("got %+v, want 600 seconds of user_read", tok)
	}
}

// TestTokenErrors checks the refusals of the token endpoint.
func TestTokenErrors(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", ""), "all")
		tests := []struct {
			name        string
			contentType string
			body        string
			header      []string
			status      int
			code, field string
		}{
			{"wrong secret", formType, grant(a.clientID, "wrong"), nil, 401, "invalid_client", "client_secret"},
			{"unknown client", formType, grant("nobody", a.secret), nil, 401, "invalid_client", "client_secret"},
			{"wrong grant type", formType, "grant_type=password&client_id=" + a.clientID + "&client_secret=" + a.secret, nil, 400, "unsupported_grant_type", "grant_type"},
			{"no grant type", formType, "client_id=" + a.clientID + "&client_secret=" + a.secret, nil, 400, "invalid_request", "grant_type"},
			{"no client ID", formType, "grant_type=client_credentials&client_secret=" + a.secret, nil, 400, "invalid_request", "client_id"},
			{"no secret", formType, "grant_type=client_credentials&client_id=" + a.clientID, nil, 400, "invalid_request", "client_secret"},
			{"no body", "", "", nil, 400, "invalid_request", "grant_type"},
			{"malformed form", formType, "grant_type=%zz", nil, 400, "invalid_request", "body"},
			{"malformed JSON", "application/json", `{"grant_type":`, nil, 400, "invalid_request", "body"},
			{"unknown content type", "text/plain", "grant_type=client_credentials", nil, 400, "invalid_request", "Content-Type"},
			{"parameter twice", formType, grant(a.clientID, a.secret) + "&grant_type=client_credentials", nil, 400, "invalid_request", "grant_type"},
			{"Basic with a wrong secret", formType, "grant_type=client_credentials", []string{"Authorization", basic(a.clientID, "wrong")}, 401, "invalid_client", "client_secret"},
			{"malformed Basic", formType, "grant_type=client_credentials", []string{"Authorization", "Basic !!!"}, 401, "invalid_client", "Authorization"},
			{"Basic and a secret in the body", formType, grant(a.clientID, a.secret), []string{"Authorization", basic(a.clientID, a.secret)}, 400, "invalid_request", "client_secret"},
			{"Basic and another client ID in the body", formType, "grant_type=client_credentials&client_id=other", []string{"Authorization", basic(a.clientID, a.secret)}, 400, "invalid_request", "client_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := s.tokenRequest("192.0.2.1", tt.contentType, tt.body, tt.header...)
				r.refused(t, tt.status, tt.code, tt.field)
				challenged := r.Header.Get("WWW-Authenticate") == `Basic realm="identity"`
				if usedBasic := len(tt.header) > 0; challenged != (usedBasic && tt.status == http.StatusUnauthorized) {
					t.Errorf("WWW-Authenticate %q", r.Header.Get("WWW-Authenticate"))
				}
			})
		}
		t.Run("wrong method", func(t *testing.T) {
			for _, method := range []string{http.MethodGet, http.MethodPut} {
				req := httptest.NewRequest(method, "/api/v2/tenant/token", nil)
				r := s.do(req)
				r.refused(t, http.StatusMethodNotAllowed, "invalid_request", "")
				if r.Header.Get("Allow") != http.MethodPost {
					t.Errorf("Allow %q", r.Header.Get("Allow"))
				}
			}
		})
		t.Run("too large", func(t *testing.T) {
			s.tokenRequest("192.0.2.1", formType, grant(a.clientID, a.secret)+"&scope="+strings.Repeat("a", 1<<20)).
				refused(t, http.StatusRequestEntityTooLarge, "invalid_request", "body")
		})
	})
}

// TestTokenAccepted checks the other ways of sending the credentials.
func TestTokenAccepted(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", ""), "all")
		for name, r := range map[string]func() *reply{
			"Basic": func() *reply {
				return s.tokenRequest("192.0.2.1", formType, "grant_type=client_credentials", "Authorization", basic(a.clientID, a.secret))
			},
			"Basic, form-encoded parts": func() *reply {
				return s.tokenRequest("192.0.2.1", formType, "grant_type=client_credentials", "Authorization", basic(url.QueryEscape(a.clientID), url.QueryEscape(a.secret)))
			},
			"Basic and the same client ID in the body": func() *reply {
				return s.tokenRequest("192.0.2.1", formType, "grant_type=client_credentials&client_id="+a.clientID, "Authorization", basic(a.clientID, a.secret))
			},
			"JSON": func() *reply {
				return s.tokenRequest("192.0.2.1", "application/json", `{"grant_type":"client_credentials","client_id":"`+a.clientID+`","client_secret":"`+a.secret+`"}`)
			},
			"a scope, ignored": func() *reply {
				return s.tokenRequest("192.0.2.1", formType, grant(a.clientID, a.secret)+"&scope=read")
			},
		} {
			t.Run(name, func(t *testing.T) {
				var tok struct {
					Scope string `json:"scope"`
				}
				r().data(t, &tok)
				if tok.Scope != "all" {
					t.Errorf("scope %q", tok.Scope)
				}
			})
		}
	})
}

// TestTokenLockout checks that 5 wrong secrets lock the address out of the
// client ID, and only that address, for the rest of the window.
func TestTokenLockout(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", ""), "all")
		for range identity.DefaultLockoutFailures {
			s.tokenRequest("192.0.2.1", formType, grant(a.clientID, "wrong")).refused(t, http.StatusUnauthorized, "invalid_client", "")
		}
		locked := s.tokenRequest("192.0.2.1", formType, grant(a.clientID, a.secret))
		locked.refused(t, http.StatusTooManyRequests, "too_many_attempts", "")
		if got := locked.Header.Get("Retry-After"); got != "900" {
			t.Errorf("Retry-After %q, want 900 (the 15 minutes of the window)", got)
		}
		s.tokenRequest("192.0.2.1", formType, "grant_type=client_credentials", "Authorization", basic(a.clientID, a.secret)).
			refused(t, http.StatusTooManyRequests, "too_many_attempts", "")
		s.tokenRequest("198.51.100.7", formType, grant(a.clientID, a.secret)).data(t, nil)
		s.call(a.token, http.MethodGet, "/api/v2/tenant/users/nobody", "").refused(t, http.StatusBadRequest, "USER.0001", "")
		s.clock.Advance(identity.DefaultLockoutWindow)
		s.tokenRequest("192.0.2.1", formType, grant(a.clientID, a.secret)).data(t, nil)
	})
}
