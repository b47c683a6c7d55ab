package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/user"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	args := []string{"serve", "-addr", "127.0.0.1:0", "-db", tempDSN(t), "-bcrypt-cost", "4"}
	go func() {
		done <- run(ctx, args, nil, io.Discard, &stderr, func(string) string { return "" })
	}()
	addr := listening(t, &stderr, done)

	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != `{"status":"ok"}`+"\n" || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("GET /healthz: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	if len(logLines(t, stderr.String(), "stopped")) != 1 {
		t.Errorf("no stopped line in:\n%s", stderr.String())
	}
}

// listening waits for serve to log the address it listens on.
func listening(t *testing.T, stderr *syncBuffer, done <-chan int) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if lines := logLines(t, stderr.String(), "listening"); len(lines) > 0 {
			addr, _ := lines[0]["addr"].(string)
			return addr
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		case <-deadline:
			t.Fatalf("serve did not log its address: %s", stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestServeAddressInUse(t *testing.T) {
	busy := httptest.NewServer(http.NotFoundHandler())
	defer busy.Close()
	r := runCLI(t, nil, "serve", "-addr", strings.TrimPrefix(busy.URL, "http://"), "-db", tempDSN(t))
	if r.code != 1 || !strings.Contains(lastLine(r.stderr), "address already in use") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestHealthz(t *testing.T) {
	store, err := storage.Open(t.Context(), tempDSN(t), storage.WithMigrate())
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	h := healthz(store, slog.New(slog.NewJSONHandler(&logs, nil)))
	check := func(status int, body string) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if rec.Code != status || rec.Body.String() != body+"\n" {
			t.Errorf("GET /healthz: %d %q, want %d %q", rec.Code, rec.Body.String(), status, body)
		}
	}
	check(http.StatusOK, `{"status":"ok"}`)
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	check(http.StatusServiceUnavailable, `{"status":"unavailable"}`)
	if !strings.Contains(logs.String(), "health check failed") {
		t.Errorf("the failure was not logged: %q", logs.String())
	}
}

func TestLogNotifier(t *testing.T) {
	var logs bytes.Buffer
	n := identity.Notification{
		Kind: user.CodeActivation, To: "ada@example.com", Code: "abc234", UserID: "u1", TeamID: "t1",
		ExpiresAt: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC),
	}
	if err := logNotifier(slog.New(slog.NewJSONHandler(&logs, nil))).Notify(t.Context(), n); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(logs.Bytes(), &got); err != nil || strings.Count(logs.String(), "\n") != 1 {
		t.Fatalf("logged %q: %v", logs.String(), err)
	}
	for k, want := range map[string]string{
		"msg": "notification", "kind": "activation", "to": "ada@example.com", "code": "abc234",
		"user_id": "u1", "team_id": "t1", "expires_at": "2026-11-24T09:30:00Z",
	} {
		if got[k] != want {
			t.Errorf("%s = %v, want %q", k, got[k], want)
		}
	}
}

// TestServerLimits checks that the server bounds every phase of a
// connection, so a slow or idle client cannot hold one forever.
func TestServerLimits(t *testing.T) {
	srv := newServer(memoryService(t), slog.New(slog.DiscardHandler), nil)
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
		"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout,
	} {
		if d <= 0 || d > 5*time.Minute {
			t.Errorf("%s is %v, want a bound of at most 5 minutes", name, d)
		}
	}
	if srv.ReadHeaderTimeout > 10*time.Second || srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 1<<20 {
		t.Errorf("headers: %v to read, %d bytes at most", srv.ReadHeaderTimeout, srv.MaxHeaderBytes)
	}
}

// TestCollectLess checks that serve collects garbage at serveGCPercent
// unless GOGC is set, and that the restore function sets the old value back.
func TestCollectLess(t *testing.T) {
	const before = 150
	defer debug.SetGCPercent(debug.SetGCPercent(before))
	for gogc, want := range map[string]int{"": serveGCPercent, "50": before, "off": before} {
		restore := collectLess(func(name string) string {
			if name == "GOGC" {
				return gogc
			}
			return ""
		})
		got := gcPercent()
		restore()
		after := gcPercent()
		if got != want || after != before {
			t.Errorf("GOGC=%q: serving with %d, then %d; want %d, then %d", gogc, got, after, want, before)
		}
	}
}

// gcPercent returns the collector's GOGC.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestEveryAnswerIsJSON checks that what the server answers itself, outside
// the families' handlers, is JSON: unknown paths outside and under the
// families' prefixes, and wrong methods on the reference and the health
// check (each family's own wrong methods are httpapi's tests).
func TestEveryAnswerIsJSON(t *testing.T) {
	h := newServer(memoryService(t), slog.New(slog.DiscardHandler), nil).Handler
	for _, c := range []struct {
		method, path string
		status       int
		body, allow  string
	}{
		{"GET", "/nope", 404, `{"error":"no such endpoint"}`, ""},
		{"POST", "/", 404, `{"error":"no such endpoint"}`, ""},
		{"PUT", "/openapi.json", 405, `{"error":"method PUT is not allowed; use GET"}`, "GET, HEAD"},
		{"DELETE", "/healthz", 405, `{"error":"method not allowed; use GET"}`, "GET, HEAD"},
		{"GET", "/api/user/nope", 404, `{"result":null,"description":"no such endpoint","status_code":404,"total_records":null}`, ""},
		{"GET", "/api/v5/entity/nope", 404, `{"code":40400,"msg":"no such endpoint","data":null}`, ""},
		{"GET", "/api/v2/tenant/nope", 404, `{"error_code":"API.0001","error_msg":"no such endpoint"}`, ""},
		{"GET", "/app-portal-service/v2.2/nope", 404, `{"code":31404,"message":"no such endpoint","data":null}`, ""},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		ct := rec.Header().Get("Content-Type")
		if rec.Code != c.status || strings.TrimSpace(rec.Body.String()) != c.body || !strings.HasPrefix(ct, "application/json") || rec.Header().Get("Allow") != c.allow {
			t.Errorf("%s %s: %d %s %q (Allow %q), want %d %s (Allow %q)", c.method, c.path, rec.Code, ct, rec.Body, rec.Header().Get("Allow"), c.status, c.body, c.allow)
		}
	}
}

// memoryService returns a service on a migrated in-memory SQLite store,
// closed when the test ends.
func memoryService(t *testing.T) *identity.Service {
	t.Helper()
	st, err := storage.Open(t.Context(), "sqlite::memory:", storage.WithMigrate())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := identity.New(st)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
