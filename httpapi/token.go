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

// tokenPath is the path of the token endpoint, which the endpoint
// reference also names as its OAuth 2.0 flow's tokenUrl.
const tokenPath = "/api/v2/tenant/token"

// tokenRoutes mounts the token endpoint and the revocation (RFC 7009) and
// introspection (RFC 7662) endpoints of the tokens it issues.
func (a *api) tokenRoutes() []route {
	return []route{
		a.oauthRoute(tokenPath, a.issue, "grant_type", "client_id", "client_secret", "scope"),
		a.oauthRoute(tokenPath+"/revoke", a.revoke, "token", "token_type_hint", "client_id", "client_secret"),
		a.oauthRoute(tokenPath+"/introspect", a.introspect, "token", "token_type_hint", "client_id", "client_secret"),
	}
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

// oauthRoute mounts an OAuth endpoint on path for every method, so that a
// wrong method is answered as an OAuth error; serve reads the parameters
// and returns the answer, which is never cached. The endpoint takes the
// parameters named by takes, and ignores others.
func (a *api) oauthRoute(path string, serve func(r *http.Request, p *params) (any, error), takes ...string) route {
	return route{path: path, handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			a.failToken(w, r, errMethod(r, http.MethodPost))
			return
		}
		p, err := readParams(w, r, a.opts.MaxBodyBytes)
		if err == nil {
			defer p.close()
			err = p.only(takes...)
		}
		if err != nil {
			a.failToken(w, r, err)
			return
		}
		result, err := serve(r, p)
		if err != nil {
			a.failToken(w, r, err)
			return
		}
		w.Header().Set("Pragma", "no-cache")
		writeJSON(w, http.StatusOK, result)
	})}
}

// issue reads the grant and exchanges the client's credentials for a
// token. The address that failed attempts are counted against is the host
// of the connection's remote address: headers set by proxies are not
// trusted.
func (a *api) issue(r *http.Request, p *params) (any, error) {
	grant, err := p.requiredStr("grant_type")
	if err != nil {
		return nil, err
	}
	if grant != "client_credentials" {
		return nil, errGrantType
	}
	id, secret, err := clientCredentials(r, p)
	if err != nil {
		return nil, err
	}
	t, err := a.svc.IssueToken(r.Context(), id, secret, remoteIP(r.RemoteAddr))
	if err != nil {
		return nil, err
	}
	return token2{
		AccessToken: t.Token,
		TokenType:   "Bearer",
		ExpiresIn:   int(t.ExpiresIn.Seconds()),
		Scope:       t.Client.Permissions.String(),
	}, nil
}

// revoke ends a token of the client (RFC 7009); an unknown token, or
// another client's, is answered alike and left alone. token_type_hint is
// ignored: there is one type of token.
func (a *api) revoke(r *http.Request, p *params) (any, error) {
	c, token, err := a.clientAndToken(r, p)
	if err != nil {
		return nil, err
	}
	return struct{}{}, a.svc.RevokeToken(r.Context(), c, token)
}

// introspection is the answer of the introspection endpoint (RFC 7662):
// active alone unless the token is the client's own and live.
type introspection struct {
	Active    bool   `json:"active"`
	ClientID  string `json:"client_id,omitempty"`
	Scope     string `json:"scope,omitempty"`
	Exp       int64  `json:"exp,omitempty"` // Unix seconds
	Iat       int64  `json:"iat,omitempty"` // Unix seconds
	TokenType string `json:"token_type,omitempty"`
}

// introspect tells the client whether a token of its own is live (RFC
// 7662); token_type_hint is ignored.
func (a *api) introspect(r *http.Request, p *params) (any, error) {
	c, token, err := a.clientAndToken(r, p)
	if err != nil {
		return nil, err
	}
	info, err := a.svc.IntrospectToken(r.Context(), c, token)
	if err != nil || !info.Active {
		return introspection{}, err
	}
	return introspection{
		Active:    true,
		ClientID:  info.Client.ClientID,
		Scope:     info.Client.Permissions.String(),
		Exp:       info.ExpiresAt.Unix(),
		Iat:       info.IssuedAt.Unix(),
		TokenType: "Bearer",
	}, nil
}

var errNoClient = errs.New(errs.Unauthorized, "client_id", "client authentication is required: HTTP Basic, or client_id and client_secret")

// clientAndToken authenticates the client as the token endpoint does, and
// reads the token it names.
func (a *api) clientAndToken(r *http.Request, p *params) (identity.Client, string, error) {
	if !usesBasic(r) && (p.str("client_id") == "" || p.str("client_secret") == "") {
		return identity.Client{}, "", errNoClient
	}
	id, secret, err := clientCredentials(r, p)
	if err != nil {
		return identity.Client{}, "", err
	}
	c, err := a.svc.AuthenticateClient(r.Context(), id, secret, remoteIP(r.RemoteAddr))
	if err != nil {
		return identity.Client{}, "", err
	}
	token, err := p.requiredStr("token")
	return c, token, err
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
	if err := checkValue("client_id", id); err != nil {
		return "", "", err
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
// authentication, or sent none where it is required, is told the scheme to
// use.
func (a *api) failToken(w http.ResponseWriter, r *http.Request, err error) {
	f := a.failureOf(w, r, err, nil) // OAuth names its parameters as the library does
	e := oauthError{Error: "invalid_request", Description: f.message}
	switch {
	case errors.Is(err, errGrantType):
		e.Error = "unsupported_grant_type"
	case f.status == http.StatusUnauthorized:
		e.Error = "invalid_client"
		if usesBasic(r) || errors.Is(err, errNoClient) {
			w.Header().Set("WWW-Authenticate", `Basic realm="identity"`)
		}
	case f.status == http.StatusTooManyRequests:
		e.Error = "too_many_attempts"
	case f.status == http.StatusServiceUnavailable:
		e.Error = "temporarily_unavailable"
	case f.status >= http.StatusInternalServerError:
		e.Error = "server_error"
	}
	writeJSON(w, f.status, e)
}
