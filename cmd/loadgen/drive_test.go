package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// echoEndpoint asks for /echo and expects "ok".
var echoEndpoint = endpoint{name: "echo", read: true, call: func(int) call {
	return call{method: http.MethodPost, path: "/echo", header: http.Header{}, body: []byte("x"),
		check: func(status int, body []byte) error {
			if status != 200 || string(body) != "ok" {
				return io.ErrUnexpectedEOF
			}
			return nil
		}}
}}

func TestPhaseStopsAtRequests(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1)%10 == 0 {
			io.WriteString(w, "wrong")
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	p := phase{client: newClient(4, time.Second), base: srv.URL, clients: 4, duration: time.Minute, requests: 100}
	o := p.run(context.Background(), echoEndpoint, ownCheck)
	if o.requests != 100 || len(o.latencies) != 100 || served.Load() != 100 {
		t.Errorf("sent %d, measured %d, served %d; want 100", o.requests, len(o.latencies), served.Load())
	}
	if o.errors != 10 || len(o.samples) != 1 {
		t.Errorf("errors %d with samples %q; want 10 with one sample", o.errors, o.samples)
	}
}

func TestPhaseStopsInTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	p := phase{client: newClient(2, time.Second), base: srv.URL, clients: 2, duration: 100 * time.Millisecond, requests: 1e9}
	start := time.Now()
	o := p.run(context.Background(), echoEndpoint, ownCheck)
	if took := time.Since(start); took > 2*time.Second || o.requests == 0 || o.errors != 0 {
		t.Errorf("took %v for %d requests with %d errors", took, o.requests, o.errors)
	}
}

// TestMain serves as the ceiling or the floor when startFixed starts the
// test binary again with the serve command.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestCeiling(t *testing.T) {
	s, err := startFixed(t.Context(), 300, "", "")
	if err != nil {
		t.Fatal(err)
	}
	p := phase{client: newClient(2, time.Second), base: s.base, clients: 2, duration: time.Minute, requests: 20}
	o := p.run(context.Background(), echoEndpoint, s.check)
	if o.requests != 20 || o.errors != 0 || o.bytes != 20*300 {
		t.Errorf("sent %d with %d errors and %d bytes; want 20, 0, 6000: %q", o.requests, o.errors, o.bytes, o.samples)
	}
	if err := s.stop(); err != nil {
		t.Error(err)
	}
}

func TestClientRefusesOtherHosts(t *testing.T) {
	client := newClient(1, time.Second)
	_, err := client.Get("http://192.0.2.1:9/") // TEST-NET-1: never dialed
	if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Errorf("got %v, want a refusal", err)
	}
}

func TestReportFailed(t *testing.T) {
	r := report{Endpoints: []endpointReport{{Name: "a", Requests: 3}}}
	if r.failed() {
		t.Error("a clean report failed")
	}
	for _, e := range []endpointReport{{Errors: 1}, {Skipped: "no route"}, {CeilingErrs: 2}, {FloorErrs: 3}} {
		r := report{Endpoints: []endpointReport{e}}
		if !r.failed() {
			t.Errorf("report with %+v did not fail", e)
		}
	}
	var out strings.Builder
	r = report{Endpoints: []endpointReport{{Name: "a", Requests: 3, RPS: 10, CeilingRPS: 20, Share: 0.5, CeilingP99MS: 1.5, FloorP99MS: 2.25}, {Name: "b", Skipped: "404"}},
		Memory: &memoryReport{PID: 7, EndKB: 2048}}
	if err := r.writeTable(&out); err != nil || !strings.Contains(out.String(), "50%") || !strings.Contains(out.String(), "2.0 MB") ||
		!strings.Contains(out.String(), "b skipped: 404") || !strings.Contains(out.String(), " 1.50 ") || !strings.Contains(out.String(), " 2.25") {
		t.Errorf("table: %v\n%s", err, out.String())
	}
}
