package main

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/storage/storagetest"
)

// TestServeMetrics serves with -metrics-addr on each backend, fails logins
// until the account locks and the address's budget is spent, calls two
// more families, and finds each series at /metrics with the values the
// traffic implies.
func TestServeMetrics(t *testing.T) {
	for _, backend := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", tempDSN},
		{"postgres", func(t *testing.T) string { return storagetest.PostgresDSN(t) }},
	} {
		t.Run(backend.name, func(t *testing.T) { serveMetricsOn(t, backend.dsn(t)) })
	}
}

func serveMetricsOn(t *testing.T, dsn string) {
	ctx, cancel := context.WithCancel(t.Context())
	var stderr syncBuffer
	done := make(chan int, 1)
	args := []string{"serve", "-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0", "-db", dsn, "-bcrypt-cost", "4", "-address-budget", "6"}
	go func() { done <- run(ctx, args, nil, io.Discard, &stderr, func(string) string { return "" }) }()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d: %s", code, stderr.String())
		}
	}()
	api := "http://" + listening(t, &stderr, done)
	lines := logLines(t, stderr.String(), "serving metrics")
	if len(lines) != 1 {
		t.Fatalf("no serving metrics line in:\n%s", stderr.String())
	}
	metricsAddr, _ := lines[0]["addr"].(string)

	login := func(email string) int {
		form := url.Values{"email_address": {email}, "password": {"wrong-password"}, "team_id": {"no-such-team"}}
		return post(t, api+"/api/user/login", form)
	}
	for range 5 { // the default lockout: 5 failures
		login("victim@example.com")
	}
	if got := login("victim@example.com"); got != http.StatusTooManyRequests {
		t.Errorf("a login after the lockout: %d, want 429", got)
	}
	login("other@example.com") // the sixth failure spends the budget of 6
	if got := login("third@example.com"); got != http.StatusTooManyRequests {
		t.Errorf("a login after the budget is spent: %d, want 429", got)
	}
	for range 2 {
		get(t, api+"/api/v2/tenant/users/u-123")
	}

	got := scrape(t, "http://"+metricsAddr+"/metrics")
	for series, want := range map[string]float64{
		`identityd_http_requests_total{family="cloud689",route="/api/user/login",status="401"}`:                    6,
		`identityd_http_requests_total{family="cloud689",route="/api/user/login",status="429"}`:                    2,
		`identityd_http_requests_total{family="tenant_v2",route="/api/v2/tenant/users/{user_id}",status="401"}`:    2,
		`identityd_http_request_duration_seconds_count{family="cloud689",route="/api/user/login"}`:                 8,
		`identityd_http_request_duration_seconds_count{family="tenant_v2",route="/api/v2/tenant/users/{user_id}"}`: 2,
		`identityd_lockouts_total{kind="login"}`:                                                                   1,
		`identityd_lockouts_total{kind="address"}`:                                                                 1,
		`identityd_lockouts_total{kind="client_secret"}`:                                                           0,
		`identityd_lockouts_total{kind="password_reset"}`:                                                          0,
		`identityd_budget_refusals_total`:                                                                          1,
		`identityd_outbox_oldest_due_seconds`:                                                                      0,
	} {
		if v, ok := got[series]; !ok || v != want {
			t.Errorf("%s = %v (present: %t), want %v", series, v, ok, want)
		}
	}
	for _, series := range []string{`identityd_db_connections{state="in_use"}`, `identityd_db_connections{state="idle"}`, `identityd_db_wait_seconds_total`,
		`identityd_http_request_duration_seconds_sum{family="cloud689",route="/api/user/login"}`, `go_goroutines`, `process_cpu_seconds_total`} {
		if v, ok := got[series]; !ok || v < 0 {
			t.Errorf("%s = %v (present: %t), want a value of 0 or more", series, v, ok)
		}
	}
	if got[`identityd_db_connections{state="in_use"}`]+got[`identityd_db_connections{state="idle"}`] < 1 {
		t.Errorf("the pool holds no connection after serving requests")
	}
	for series := range got {
		if strings.Contains(series, "example.com") || strings.Contains(series, "127.0.0.1") || strings.Contains(series, "u-123") {
			t.Errorf("a series names a user, an address or a path: %s", series)
		}
	}
}

// post posts form to u and returns the status.
func post(t *testing.T, u string, form url.Values) int {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// get gets u and returns its body.
func get(t *testing.T, u string) string {
	t.Helper()
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// scrape returns the samples at u in the Prometheus text format, by their
// name and labels as written.
func scrape(t *testing.T, u string) map[string]float64 {
	t.Helper()
	samples := map[string]float64{}
	for line := range strings.Lines(get(t, u)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if i < 0 || err != nil {
			t.Fatalf("not a sample: %q", line)
		}
		samples[line[:i]] = v
	}
	return samples
}

func TestServeMetricsAddressInUse(t *testing.T) {
	busy := httptest.NewServer(http.NotFoundHandler())
	defer busy.Close()
	r := runCLI(t, nil, "serve", "-addr", "127.0.0.1:0", "-metrics-addr", strings.TrimPrefix(busy.URL, "http://"), "-db", tempDSN(t))
	if r.code != 1 || !strings.Contains(lastLine(r.stderr), "metrics") || !strings.Contains(lastLine(r.stderr), "address already in use") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestStoreCollector: the pool's series are read from its statistics at
// each scrape, and an outbox that cannot be read fails its series alone.
func TestStoreCollector(t *testing.T) {
	m := newMetrics()
	c := newStoreCollector(func() sql.DBStats { return sql.DBStats{InUse: 3, Idle: 2, WaitDuration: 1500 * time.Millisecond} },
		func(context.Context) (time.Duration, error) { return 0, errors.New("database unavailable") })
	m.reg.MustRegister(c)
	families, err := m.reg.Gather()
	if err == nil || !strings.Contains(err.Error(), "database unavailable") {
		t.Errorf("gather: %v, want the outbox's failure", err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, s := range f.GetMetric() {
			name := f.GetName()
			for _, l := range s.GetLabel() {
				name += "/" + l.GetValue()
			}
			got[name] = s.GetGauge().GetValue() + s.GetCounter().GetValue()
		}
	}
	want := map[string]float64{"identityd_db_connections/in_use": 3, "identityd_db_connections/idle": 2, "identityd_db_wait_seconds_total": 1.5}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("%s = %v, want %v", name, got[name], v)
		}
	}
	if _, ok := got["identityd_outbox_oldest_due_seconds"]; ok {
		t.Error("the outbox's series was served without its value")
	}
}
