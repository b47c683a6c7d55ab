package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestDriveAttack drives the attack from attackFrom beside echo logins from
// elsewhere, against a server that refuses the attack after 5 tries, and
// checks what the report counts.
func TestDriveAttack(t *testing.T) {
	var tries atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		switch {
		case host != attackFrom:
			io.WriteString(w, "ok")
		case tries.Add(1) <= 5:
			w.WriteHeader(http.StatusUnauthorized)
		default:
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()
	load := phase{client: newClient(1, time.Second), base: srv.URL, clients: 1, duration: 100 * time.Millisecond, requests: 1e9}
	cfg := config{attack: 2, timeout: time.Second}
	r := driveAttack(context.Background(), load, cfg, &fixture{run: "r", teamID: "t"}, echoEndpoint, 1, io.Discard)
	if r.Connections != 2 || r.From != attackFrom || r.Failed != 5 || r.Refused < 1 || r.Errors != 0 {
		t.Errorf("attack report %+v: want 5 failed, some refused, no errors", r)
	}
	if r.UnderAttackN == 0 || r.UnderAttackErrors != 0 || r.Ratio <= 0 {
		t.Errorf("real user's report %+v", r)
	}
}
