package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage"
)

// scrapeTimeout bounds the database reads of one scrape.
const scrapeTimeout = 5 * time.Second

// metrics counts what serve does in Prometheus series named identityd_*,
// on a registry of its own: it is the Observer of the service and of the
// HTTP API, and reads the store's pool and outbox at each scrape. No label
// carries a user, an email address, a token or a client's address.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec
	lockouts  *prometheus.CounterVec
	refusals  prometheus.Counter
}

// newMetrics returns the series of serve, with the Go runtime's and the
// process's, registered.
func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "identityd_http_requests_total",
			Help: "HTTP requests answered by the API, by family, route pattern and status."}, []string{"family", "route", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "identityd_http_request_duration_seconds",
			Help: "How long the API took to answer a request, by family and route pattern.", Buckets: prometheus.DefBuckets}, []string{"family", "route"}),
		lockouts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "identityd_lockouts_total",
			Help: "Lockouts: failed attempts that reached their limit, by kind (login, client_secret, password_reset, address)."}, []string{"kind"}),
		refusals: prometheus.NewCounter(prometheus.CounterOpts{Name: "identityd_budget_refusals_total",
			Help: "Login and client-secret attempts refused because their address's budget of failures was spent."}),
	}
	for _, kind := range []identity.LockoutKind{identity.LockoutLogin, identity.LockoutClientSecret, identity.LockoutPasswordReset, identity.LockoutAddress} {
		m.lockouts.WithLabelValues(string(kind)) // present at 0 before the first
	}
	m.reg.MustRegister(m.requests, m.durations, m.lockouts, m.refusals,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Served counts a request the API answered.
func (m *metrics) Served(r httpapi.Request) {
	m.requests.WithLabelValues(r.Family, r.Route, strconv.Itoa(r.Status)).Inc()
	m.durations.WithLabelValues(r.Family, r.Route).Observe(r.Took.Seconds())
}

// Locked counts a lockout.
func (m *metrics) Locked(kind identity.LockoutKind) { m.lockouts.WithLabelValues(string(kind)).Inc() }

// BudgetRefused counts an attempt refused by its address's spent budget.
func (m *metrics) BudgetRefused() { m.refusals.Inc() }

// start serves m's series of svc on addr (see serve) and returns m as the
// observer of the HTTP API; a nil m, serve without metrics, does nothing
// and returns no observer.
func (m *metrics) start(ctx context.Context, wg *sync.WaitGroup, svc *identity.Service, addr string, log *slog.Logger) (httpapi.Observer, error) {
	if m == nil {
		return nil, nil
	}
	if err := m.watch(svc); err != nil {
		return nil, err
	}
	return m, m.serve(ctx, wg, addr, log)
}

// watch registers the series read from svc's store at each scrape.
func (m *metrics) watch(svc *identity.Service) error {
	db, ok := svc.Store().(*storage.DB)
	if !ok {
		return fmt.Errorf("metrics: the store is a %T, not a *storage.DB", svc.Store())
	}
	return m.reg.Register(newStoreCollector(db.Bun().DB.Stats, svc.OutboxLag))
}

// storeCollector reads the database pool's use and the outbox's lag when
// Prometheus scrapes.
type storeCollector struct {
	stats               func() sql.DBStats
	lag                 func(context.Context) (time.Duration, error)
	conns, wait, outbox *prometheus.Desc
}

// newStoreCollector returns the collector of the pool's statistics stats
// and the outbox's lag.
func newStoreCollector(stats func() sql.DBStats, lag func(context.Context) (time.Duration, error)) storeCollector {
	return storeCollector{stats: stats, lag: lag,
		conns: prometheus.NewDesc("identityd_db_connections", "Connections of the database pool, in use or idle.", []string{"state"}, nil),
		wait:  prometheus.NewDesc("identityd_db_wait_seconds_total", "Time spent waiting for a connection of the database pool.", nil, nil),
		outbox: prometheus.NewDesc("identityd_outbox_oldest_due_seconds",
			"How long the code due longest in the outbox has waited for delivery; 0 if none is due.", nil, nil),
	}
}

// Describe sends the descriptions of c's series.
func (c storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.conns
	ch <- c.wait
	ch <- c.outbox
}

// Collect reads the pool's use and the outbox's lag; a lag it cannot read
// fails that series alone.
func (c storeCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(s.InUse), "in_use")
	ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(s.Idle), "idle")
	ch <- prometheus.MustNewConstMetric(c.wait, prometheus.CounterValue, s.WaitDuration.Seconds())
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	lag, err := c.lag(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.outbox, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.outbox, prometheus.GaugeValue, lag.Seconds())
}

// serve serves the series at GET /metrics on addr, in wg, until ctx is
// done. A scrape that cannot read a series logs why and serves the others.
func (m *metrics) serve(ctx context.Context, wg *sync.WaitGroup, addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	errLog := slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: errLog, ErrorHandling: promhttp.ContinueOnError}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout, WriteTimeout: writeTimeout,
		IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes, ErrorLog: errLog}
	log.Info("serving metrics", "addr", ln.Addr().String())
	wg.Go(func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "error", err)
		}
	})
	wg.Go(func() {
		<-ctx.Done()
		srv.Close()
	})
	return nil
}
