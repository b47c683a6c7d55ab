package httpapi

import (
	"context"
	"net/http"
	"slices"

	"github.com/embedid/identity"
	"github.com/embedid/identity/internal/errs"
)

// The v5 entity, tenant v2 and application-portal families share one way of
// serving: an application's access token as "Authorization: Bearer", GET
// parameters in the query string and POST parameters in the body, and the
// team named in the parameters (if the family names one) checked against
// the token's. Each family brings its table of endpoints and its envelope.

// bearerFamily is an API family whose endpoints take an access token.
type bearerFamily struct {
	name      string     // as an Observer hears it (see Request)
	base      string     // the path its endpoints are under, ending in "/"
	teamParam string     // the parameter naming the token's team; "" if none
	fields    fieldNames // its names of the library's fields; nil if the same (v5, tenant)
	endpoints []bearerEndpoint
	ok        func(w http.ResponseWriter, result any)
	fail      func(w http.ResponseWriter, f failure)
}

// bearerEndpoint is one endpoint of a bearerFamily.
type bearerEndpoint struct {
	method string // GET reads the query string, POST the body
	path   string // under the family's base; may hold a {wildcard}
	serve  func(*bearerCall) (any, error)
	takes  []string // its parameters, besides the path's and the team's; it ignores others
}

// bearerCall is a request to a bearerEndpoint being served.
type bearerCall struct {
	*params
	r      *http.Request
	client identity.Client
}

func (c *bearerCall) ctx() context.Context { return c.r.Context() }

// bearerFamilies lists the families that take access tokens.
func (a *api) bearerFamilies() []bearerFamily {
	return []bearerFamily{a.entity5(), a.tenant2(), a.portal()}
}

// bearerRoutes mounts each endpoint of f on its path for every method, so
// that a wrong method is answered in f's envelope, and every other path
// under f's base as an unknown endpoint.
func (a *api) bearerRoutes(f bearerFamily) []route {
	rs := make([]route, 0, len(f.endpoints)+1)
	for _, e := range f.endpoints {
		rs = append(rs, route{path: f.base + e.path, handler: a.handleBearer(f, e)})
	}
	unknown := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { f.fail(w, a.failureOf(w, r, errNoEndpoint(), f.fields)) })
	return append(rs, route{path: f.base, handler: unknown})
}

func (a *api) handleBearer(f bearerFamily, e bearerEndpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != e.method {
			w.Header().Set("Allow", e.method)
			f.fail(w, a.failureOf(w, r, errMethod(r, e.method), f.fields))
			return
		}
		result, err := a.serveBearer(w, r, f, e)
		if err != nil {
			f.fail(w, a.failureOf(w, r, err, f.fields))
			return
		}
		f.ok(w, result)
	})
}

// serveBearer authenticates the client, reads the parameters, checks the
// team they name, and serves e.
func (a *api) serveBearer(w http.ResponseWriter, r *http.Request, f bearerFamily, e bearerEndpoint) (any, error) {
	client, err := a.client(r)
	if err != nil {
		return nil, err
	}
	var p *params
	if e.method == http.MethodGet {
		p, err = readQuery(r)
	} else {
		p, err = readParams(w, r, a.opts.MaxBodyBytes)
	}
	if err != nil {
		return nil, err
	}
	defer p.close()
	if err := p.only(slices.Concat(e.takes, []string{f.teamParam}, pathNames(e.path))...); err != nil {
		return nil, err
	}
	if err := p.setPath(r, e.path); err != nil {
		return nil, err
	}
	if f.teamParam != "" {
		if err := ownTeam(p, f.teamParam, client); err != nil {
			return nil, err
		}
	}
	return e.serve(&bearerCall{params: p, r: r, client: client})
}

// client returns the application behind the request's bearer token. An
// X-APP-ID header, when sent and not empty, must be the token's client ID.
func (a *api) client(r *http.Request) (identity.Client, error) {
	c, err := a.svc.AuthenticateToken(r.Context(), bearer(r))
	if err != nil {
		return identity.Client{}, err
	}
	if id := r.Header.Get("X-APP-ID"); id != "" && id != c.ClientID {
		return identity.Client{}, errs.New(errs.Unauthorized, "X-APP-ID", "is not the client ID of the access token's application")
	}
	return c, nil
}

// ownTeam checks that the parameter field names the client's team. Any other
// team is not found, whether it exists or not: a token learns nothing about
// other teams.
func ownTeam(p *params, field string, c identity.Client) error {
	id, err := p.requiredStr(field)
	if err != nil {
		return err
	}
	if id != c.TeamID {
		return errs.New(errs.NotFound, field, "no such organization")
	}
	return nil
}
