package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/embedid/identity"
	"github.com/embedid/identity/internal/errs"
)

// The token endpoint, POST /api/v2/tenant/token: the OAuth 2.0 client
// credentials grant (RFC 6749 section 4.4) that issues the access tokens of
// the v5 entity, tenant v2 and application-portal families.

// tokenRoute mounts the token endpoint for every method, so that a wrong
// method is answered as an OAuth error.
func (a *api) tokenRoute() route {
	return route{path: "/api/v2/tenant/token", handler: http.HandlerFunc(a.token)}
}

// token2 is the answer of a successful grant.
type token2 struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"` // seconds
	Scope       string `json:"scope"`      // the application's permission codes
}

// oauthError is the answer of a refused grant (RFC 6749 section 5.2).
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

var errGrantType = errs.New(errs.Invalid, "grant_type", "only client_credentials is supported")

func (a *api) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		a.failToken(w, r, errMethod(r, http.MethodPost))
		return
	}
	t, err := a.issue(w, r)
	if err != nil {
		a.failToken(w, r, err)
		return
	}
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, token2{
		AccessToken: t.Token,
		TokenType:   "Bearer",
		ExpiresIn:   int(t.ExpiresIn.Seconds()),
		Scope:       t.Client.Permissions.String(),
	})
}

// issue reads the grant and exchanges the client's credentials for a
// token. The address that failed attempts are counted against is the host
// of the connection's remote address: headers set by proxies are not
// trusted.
func (a *api) issue(w http.ResponseWriter, r *http.Request) (identity.AccessToken, error) {
	p, err := readParams(w, r, a.opts.MaxBodyBytes)
	if err != nil {
		return identity.AccessToken{}, err
	}
	defer p.close()
	grant, err := p.requiredStr("grant_type")
	if err != nil {
		return identity.AccessToken{}, err
	}
	if grant != "client_credentials" {
		return identity.AccessToken{}, errGrantType
	}
	id, secret, err := clientCredentials(r, p)
	if err != nil {
		return identity.AccessToken{}, err
	}
	return a.svc.IssueToken(r.Context(), id, secret, remoteIP(r.RemoteAddr))
}

// clientCredentials returns the client ID and secret of an "Authorization:
// Basic" header (each form-encoded, RFC 6749 section 2.3.1), or else of the
// client_id and client_secret parameters. With the header, the body may
// repeat the client ID but not give a secret.
func clientCredentials(r *http.Request, p *params) (id, secret string, err error) {
	if !usesBasic(r) {
		if id, err = p.requiredStr("client_id"); err != nil {
			return "", "", err
		}
		secret, err = p.requiredStr("client_secret")
		return id, secret, err
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, err = url.QueryUnescape(id)
	}
	if ok && err == nil {
		secret, err = url.QueryUnescape(secret)
	}
	if !ok || err != nil {
		return "", "", errs.New(errs.Unauthorized, "Authorization", "is not valid Basic credentials")
	}
	if p.str("client_secret") != "" {
		return "", "", errs.New(errs.Invalid, "client_secret", "send the secret in the Authorization header or in the body, not both")
	}
	if v, given := p.optionalStr("client_id"); given && v != id {
		return "", "", errs.New(errs.Invalid, "client_id", "differs from the client ID in the Authorization header")
	}
	return id, secret, nil
}

// usesBasic reports whether r attempts HTTP Basic authentication.
func usesBasic(r *http.Request) bool {
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return strings.EqualFold(scheme, "Basic")
}

// failToken answers err as an OAuth error. A client that failed Basic
// authentication is told the scheme to use.
func (a *api) failToken(w http.ResponseWriter, r *http.Request, err error) {
	f := a.failureOf(r, err, nil) // OAuth names its parameters as the library does
	e := oauthError{Error: "invalid_request", Description: f.message}
	switch {
	case errors.Is(err, errGrantType):
		e.Error = "unsupported_grant_type"
	case f.status == http.StatusUnauthorized:
		e.Error = "invalid_client"
		if usesBasic(r) {
			w.Header().Set("WWW-Authenticate", `Basic realm="identity"`)
		}
	case f.status == http.StatusTooManyRequests:
		e.Error = "too_many_attempts"
	case f.status >= http.StatusInternalServerError:
		e.Error = "server_error"
	}
	writeJSON(w, f.status, e)
}
