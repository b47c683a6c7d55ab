// Package scim serves the identity library over SCIM 2.0 (RFC 7643, RFC
// 7644), so that an identity provider (Entra ID, Okta, ...) provisions a
// team's members as Users and its projects as Groups. It mounts on any mux
// that registers Go 1.22 patterns, under Prefix+"/scim/v2".
//
// Every endpoint, the discovery ones (ServiceProviderConfig, ResourceTypes,
// Schemas) included, takes an application's access token as
// "Authorization: Bearer"; the token's team is the tenant, and the identity
// layer checks its permissions (reads need any, writes all or user_all).
// Request bodies are JSON sent as application/scim+json or
// application/json (or without a Content-Type); other types are refused
// with 415. Answers are application/scim+json.
//
// Where the RFCs leave a choice:
//   - userName is the team's own sign-in name for the member, unique in
//     the team; emails holds the one address the account is found by (the
//     primary value, else the work one, else the first; userName when there
//     are none). A member whose userName is their address keeps the two
//     together: a PATCH that changes one changes the other. A User without
//     active is active.
//   - Attributes this server does not keep are ignored, in bodies and in
//     PATCH paths; read-only ones (id, meta, name.formatted, groups) are
//     ignored in bodies and refused as a PATCH path (mutability).
//   - A PATCH replace or add whose value filter matches nothing adds a
//     value made of the filter's eq terms (as Entra expects of
//     emails[type eq "work"].value); a remove that matches nothing does
//     nothing.
//   - A PATCH holds at most 1000 operations, and a multi-valued attribute
//     at most 1000 values (members included): more is an invalidValue, as
//     tooMany is the RFC's word for filters; a filter longer than 4096
//     bytes or of more than 64 terms is tooMany.
//   - Groups are listed oldest first and do not sort.
package scim

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/embedid/identity"
)

// Mux is what Mount registers handlers on; *http.ServeMux is one.
type Mux interface {
	Handle(pattern string, handler http.Handler)
}

// Options configure the mounted handlers. Zero fields take the defaults.
type Options struct {
	// Prefix is put before "/scim/v2", e.g. "/identity"; default none.
	Prefix string
	// MaxBodyBytes limits request bodies (default 1 MiB).
	MaxBodyBytes int64
	// Logger receives one line per request that failed on the server's
	// side; default discard.
	Logger *slog.Logger
	// BaseURL is the absolute URL the server is reached at, e.g.
	// "https://id.example.com", that meta.location and Location start
	// with (then Prefix); default the request's scheme and Host. Set it
	// behind a proxy.
	BaseURL string
}

// DefaultMaxBodyBytes is the default of Options.MaxBodyBytes.
const DefaultMaxBodyBytes = 1 << 20

func (o Options) withDefaults() Options {
	o.Prefix = strings.TrimRight(o.Prefix, "/")
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// root is the path of the SCIM endpoints under the prefix.
const root = "/scim/v2"

// server holds what every handler needs.
type server struct {
	svc  *identity.Service
	opts Options
}

// Mount registers the SCIM endpoints on mux, served by svc. Any other path
// under Prefix+"/scim/v2/" answers 404, and a wrong method 405, as SCIM
// errors.
func Mount(mux Mux, svc *identity.Service, opts Options) {
	s := &server{svc: svc, opts: opts.withDefaults()}
	base := s.opts.Prefix + root
	for _, rt := range s.routes() {
		mux.Handle(base+rt.path, s.handle(rt))
	}
	mux.Handle(base+"/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, refuse(http.StatusNotFound, "", "", "no such endpoint"), nil)
	}))
}

// handler serves one method of a route.
type handler func(c *call) error

// route is one mounted path and the methods it answers.
type route struct {
	path    string
	res     *resource // the resource it serves; nil for discovery
	names   attrNames // how its resource names identity's fields
	methods map[string]handler
	allow   string // the methods, for Allow
}

func (s *server) routes() []route {
	return []route{
		{path: "/Users", res: &userResource, names: userAttrs, allow: "GET, POST", methods: map[string]handler{"GET": s.listUsers, "POST": s.createUser}},
		{path: "/Users/{id}", res: &userResource, names: userAttrs, allow: "GET, PUT, PATCH, DELETE", methods: map[string]handler{
			"GET": s.getUser, "PUT": s.replaceUser, "PATCH": s.patchUser, "DELETE": s.deleteUser}},
		{path: "/Groups", res: &groupResource, names: groupAttrs, allow: "GET, POST", methods: map[string]handler{"GET": s.listGroups, "POST": s.createGroup}},
		{path: "/Groups/{id}", res: &groupResource, names: groupAttrs, allow: "GET, PUT, PATCH, DELETE", methods: map[string]handler{
			"GET": s.getGroup, "PUT": s.replaceGroup, "PATCH": s.patchGroup, "DELETE": s.deleteGroup}},
		{path: "/ServiceProviderConfig", allow: "GET", methods: map[string]handler{"GET": s.serviceProviderConfig}},
		{path: "/ResourceTypes", allow: "GET", methods: map[string]handler{"GET": s.resourceTypes}},
		{path: "/ResourceTypes/{name}", allow: "GET", methods: map[string]handler{"GET": s.resourceType}},
		{path: "/Schemas", allow: "GET", methods: map[string]handler{"GET": s.schemas}},
		{path: "/Schemas/{id}", allow: "GET", methods: map[string]handler{"GET": s.schema}},
	}
}

// call is a request being served by an authenticated client.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	s      *server
	client identity.Client
	view   projection // what the query asks of the resources answered
}

// handle checks the method, authenticates the client and serves rt.
func (s *server) handle(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, ok := rt.methods[r.Method]
		if !ok {
			w.Header().Set("Allow", rt.allow)
			s.fail(w, r, refuse(http.StatusMethodNotAllowed, "", "", "method %s is not allowed; use %s", r.Method, rt.allow), nil)
			return
		}
		c := &call{w: w, r: r, s: s}
		err := s.prepare(c, rt)
		if err == nil {
			err = h(c)
		}
		if err != nil {
			s.fail(w, r, err, rt.names)
		}
	})
}

// prepare authenticates the client of c and reads what every handler of rt
// takes: the id in the path, and what the query asks of the answer.
func (s *server) prepare(c *call, rt route) (err error) {
	if c.client, err = s.svc.AuthenticateToken(c.r.Context(), bearer(c.r)); err != nil {
		return err
	}
	if err := checkID(c.r.PathValue("id")); err != nil {
		return err
	}
	if rt.res != nil {
		c.view, err = c.projection(*rt.res)
	}
	return err
}

// maxIDBytes bounds the id of a resource in a path; no id is longer.
const maxIDBytes = 128

// checkID refuses an id in a path that no resource has: too long, not
// UTF-8 or holding a NUL, which no database column holds.
func checkID(id string) error {
	if len(id) > maxIDBytes || !utf8.ValidString(id) || strings.IndexByte(id, 0) >= 0 {
		return refuse(http.StatusNotFound, "", "id", "no such resource")
	}
	return nil
}

// bearer returns the token of an "Authorization: Bearer" header, if any.
func bearer(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// fail answers err as a SCIM error. The cause of a failure of the server is
// logged with the request path, never shown.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error, names attrNames) {
	f := failureOf(err, names)
	switch f.status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", "Bearer")
	case http.StatusTooManyRequests:
		setRetryAfter(w, identity.ErrorRetryAfter(err))
	case http.StatusInternalServerError:
		s.opts.Logger.ErrorContext(r.Context(), "scim request failed", "path", r.URL.Path, "err", err)
	case http.StatusServiceUnavailable:
		if r.Context().Err() == nil {
			s.opts.Logger.WarnContext(r.Context(), "database unavailable", "path", r.URL.Path, "err", err)
		}
	}
	writeJSON(w, f.status, errorBody{Schemas: []string{urnError}, Status: itoa(f.status), ScimType: f.scimType, Detail: f.detail})
}

// location returns the absolute URL of a resource at path under the SCIM
// root, e.g. "/Users/" + id.
func (c *call) location(endpoint, id string) string {
	base := c.s.opts.BaseURL
	if base == "" {
		scheme := "http"
		if c.r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + c.r.Host
	}
	return base + c.s.opts.Prefix + root + endpoint + "/" + url.PathEscape(id)
}
