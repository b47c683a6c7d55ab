// Package httpapi mounts the library's HTTP endpoints on any mux that can
// register a Go 1.22 pattern: the 689Cloud user-management family
// (/api/user/...), the v5 entity family (/api/v5/entity/...), the tenant v2
// family (/api/v2/tenant/...) and the application portal
// (/app-portal-service/v2.2/...), and the endpoint reference that describes
// them (GET /openapi.json). Each family answers an error in its own
// envelope, naming the field at fault as the family names that parameter,
// and checks what only a form has, such as a password's confirmation. It
// uses only the standard library.
package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/embedid/identity"
)

// Mux is what Mount registers handlers on; *http.ServeMux is one.
type Mux interface {
	Handle(pattern string, handler http.Handler)
}

// Options configure the mounted handlers. Zero fields take the defaults.
type Options struct {
	// Prefix is put before every path, e.g. "/identity"; default none.
	Prefix string
	// MaxBodyBytes limits request bodies other than CSV files (default 1 MiB).
	MaxBodyBytes int64
	// MaxCSVBytes limits an imported CSV file (default 32 MiB).
	MaxCSVBytes int64
	// Logger receives one line per request that failed on the server's side;
	// default discard.
	Logger *slog.Logger
	// Observer hears of every request the handlers answer; default none.
	Observer Observer
}

// Defaults of Options.
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultMaxCSVBytes  = 32 << 20
)

func (o Options) withDefaults() Options {
	o.Prefix = strings.TrimRight(o.Prefix, "/")
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxCSVBytes <= 0 {
		o.MaxCSVBytes = DefaultMaxCSVBytes
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// api holds what every handler needs.
type api struct {
	svc  *identity.Service
	opts Options
}

// Mount registers every endpoint of the four families and the endpoint
// reference on mux, served by svc.
func Mount(mux Mux, svc *identity.Service, opts Options) {
	a := &api{svc: svc, opts: opts.withDefaults()}
	for _, r := range a.routes() {
		pattern, h := a.opts.Prefix+r.path, r.handler
		if a.opts.Observer != nil {
			h = observed(a.opts.Observer, r.family, pattern, h)
		}
		if r.method != "" {
			pattern = r.method + " " + pattern
		}
		mux.Handle(pattern, h)
	}
}

// route is one mounted endpoint.
type route struct {
	family  string // as an Observer hears it (see Request)
	method  string // "" lets the handler answer a wrong method itself
	path    string // without the prefix
	handler http.Handler
}

// routes lists every endpoint with its family; each family adds its own.
func (a *api) routes() []route {
	rs := append(in("cloud689", a.cloud689Routes()), in("tenant_v2", a.tokenRoutes())...)
	for _, f := range a.bearerFamilies() {
		rs = append(rs, in(f.name, a.bearerRoutes(f))...)
	}
	return append(rs, in("openapi", []route{a.referenceRoute()})...)
}

// in returns rs as routes of family.
func in(family string, rs []route) []route {
	for i := range rs {
		rs[i].family = family
	}
	return rs
}
