package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/scim"
)

// Limits of the HTTP server. Reads and writes allow for a CSV import of the
// largest size httpapi accepts, whose passwords are all hashed.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = time.Minute
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	shutdownTimeout   = 15 * time.Second
	healthTimeout     = 2 * time.Second
)

func serve(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("serve", "")
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on; port 0 picks a free one")
	fs.fromEnv("addr")
	metricsAddr := fs.String("metrics-addr", "", "`address` to serve Prometheus metrics on at /metrics, e.g. 127.0.0.1:9090; none by default")
	fs.fromEnv("metrics-addr")
	db := fs.db()
	c := defaultConfig()
	fs.configFlags(&c)
	fs.databaseFlags(&c)
	fs.DurationVar(&c.tokenTTL, "token-ttl", c.tokenTTL, "lifetime of access tokens")
	fs.fromEnv("token-ttl")
	fs.sessionFlags(&c)
	fs.budgetFlags(&c)
	fs.DurationVar(&c.eventRetention, "event-retention", c.eventRetention, "how long events are kept; older ones are deleted every few minutes (0 keeps them forever)")
	fs.fromEnv("event-retention")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	defer collectLess(e.getenv)()
	var m *metrics
	if *metricsAddr != "" {
		m = newMetrics()
		c.observer = m
	}
	return withService(ctx, e, *db, c, func(svc *identity.Service) error {
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return err
		}
		loop, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() { deliverEvery(loop, svc, deliveryInterval, e.log) })
		wg.Go(func() { pruneEvents(loop, svc, e) })
		defer func() { stop(); wg.Wait() }()
		observer, err := m.start(loop, &wg, svc, *metricsAddr, e.log)
		if err != nil {
			ln.Close()
			return err
		}
		return serveUntilDone(ctx, newServer(svc, e.log, observer), ln, e.log)
	})
}

// deliveryInterval is how often serve delivers the codes due in the outbox:
// the retries of failed deliveries, and the codes of processes that died
// before delivering them. A use case delivers its own codes as it commits.
const deliveryInterval = 5 * time.Second

// deliverEvery delivers the codes due in svc's outbox every interval until
// ctx is done, logging a failure.
func deliverEvery(ctx context.Context, svc *identity.Service, every time.Duration, log *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if _, err := svc.Deliver(ctx); err != nil && ctx.Err() == nil {
			log.Error("deliver codes", "error", err)
		}
	}
}

// serveGCPercent is the garbage collector's GOGC while serving, unless the
// environment sets one. The server's live heap is a few megabytes, and at
// the default of 100 a lookup load collects it some fifty times a second;
// at 200, lookups answer 5-10 % more requests a second for 4 MB more of
// resident memory (see BENCHMARKS.md).
const serveGCPercent = 200

// collectLess sets GOGC to serveGCPercent unless getenv has a GOGC, and
// returns the function that sets it back.
func collectLess(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(serveGCPercent)
	return func() { debug.SetGCPercent(old) }
}

// newServer returns a server of the API families, which tell observer of
// each request if it is not nil, the SCIM endpoints and /healthz.
func newServer(svc *identity.Service, log *slog.Logger, observer httpapi.Observer) *http.Server {
	mux := http.NewServeMux()
	httpapi.Mount(mux, svc, httpapi.Options{Logger: log, Observer: observer})
	scim.Mount(mux, svc, scim.Options{Logger: log})
	mux.Handle("/healthz", healthz(svc.Store(), log))
	mux.Handle("/", httpapi.NotFound())
	return &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// serveUntilDone serves on ln until ctx is done, then shuts the server down
// gracefully.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger) error {
	log.Info("listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// pinger is the part of the store a health check needs.
type pinger interface {
	Ping(ctx context.Context) error
}

// healthz answers GET with 200 {"status":"ok"} when the store answers a ping
// in time, and 503 {"status":"unavailable"} otherwise; other methods with 405
// and a JSON error.
func healthz(store pinger, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, body := health(r, store, log)
		if status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", "GET, HEAD")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		io.WriteString(w, body+"\n")
	})
}

// health returns the status and body of a health check.
func health(r *http.Request, store pinger, log *slog.Logger) (int, string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return http.StatusMethodNotAllowed, `{"error":"method not allowed; use GET"}`
	}
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if err := store.Ping(ctx); err != nil {
		log.WarnContext(ctx, "health check failed", "err", err)
		return http.StatusServiceUnavailable, `{"status":"unavailable"}`
	}
	return http.StatusOK, `{"status":"ok"}`
}
