package httpapi_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage/storagetest"
)

// stallProxy forwards TCP connections to a target until told to stall: then
// it keeps every connection open and forwards nothing, new ones included,
// until told to resume, as a database that stops answering.
type stallProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	open   chan struct{} // closed while the proxy forwards
	conns  []net.Conn
	wg     sync.WaitGroup
	pipes  atomic.Int64 // the goroutines copying, which the server does not own
}

// newStallProxy starts a forwarding proxy to target, closed when t ends.
func newStallProxy(t *testing.T, target string) *stallProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{ln: ln, target: target, open: make(chan struct{})}
	close(p.open)
	p.wg.Go(p.accept)
	t.Cleanup(p.close)
	return p
}

// stall stops forwarding.
func (p *stallProxy) stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.open = make(chan struct{})
}

// resume forwards again, what was held first.
func (p *stallProxy) resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.open:
	default:
		close(p.open)
	}
}

// gate returns a channel that is closed while the proxy forwards.
func (p *stallProxy) gate() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.open
}

func (p *stallProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		d, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, d)
		p.mu.Unlock()
		p.wg.Go(func() { p.pipe(d, c) })
		p.wg.Go(func() { p.pipe(c, d) })
	}
}

// pipe copies src to dst while the gate is open, and closes both when
// either ends.
func (p *stallProxy) pipe(dst, src net.Conn) {
	p.pipes.Add(1)
	defer p.pipes.Add(-1)
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			<-p.gate()
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// close resumes, closes every connection and waits for the pipes.
func (p *stallProxy) close() {
	p.resume()
	p.ln.Close()
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// stalledServer is a server on a Postgres store reached through a
// stallProxy, with a database timeout of a second.
func stalledServer(t *testing.T, extra ...identity.Option) (*server, *stallProxy) {
	u, err := url.Parse(storagetest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	p := newStallProxy(t, u.Host)
	u.Host = p.ln.Addr().String()
	st := storagetest.OpenMigrated(t, u.String())
	return newServer(t, st, httpapi.Options{}, append([]identity.Option{identity.WithDatabaseTimeout(time.Second)}, extra...)...), p
}

// deadline is the database timeout of stalledServer plus a second: the
// bound of every answer while the database does not answer.
const deadline = 2 * time.Second

// messageOf is the message of a refusal in any family.
func messageOf(r *reply) string { return r.Env.Description + r.Message }

// TestStalledDatabaseAnswers503InEachFamily stops the database from
// answering: a request of each family answers 503 in its envelope within
// the deadline plus a second, and the same requests succeed once the
// database answers again, with nothing restarted.
func TestStalledDatabaseAnswers503InEachFamily(t *testing.T) {
	s, p := stalledServer(t)
	teamID, session := s.activeTeam("admin@x.com")
	m := s.create(session, "m@x.com", "3")
	a := s.newApp(teamID, "all")
	requests := []struct {
		name string
		send func() *reply
	}{
		{"689 list", func() *reply { return s.form("/api/user/list", map[string]string{"auth_token": session}) }},
		{"tenant by id", func() *reply { return s.call(a.token, http.MethodGet, "/api/v2/tenant/users/"+m.UserID, "") }},
		{"v5 profile", func() *reply {
			return s.get(a.token, "/api/v5/entity/profile/fetch", map[string]string{"corp_id": teamID, "user_id": m.UserID})
		}},
		{"v5 pool", func() *reply {
			return s.post(a.token, "/api/v5/entity/user/pool/update", map[string]string{"corp_id": teamID, "user_id": m.UserID, "pool": "alive"})
		}},
		{"portal", func() *reply {
			return s.post(a.token, "/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": teamID, "email": "m@x.com"})
		}},
		{"token", func() *reply {
			return s.form("/api/v2/tenant/token", map[string]string{"grant_type": "client_credentials", "client_id": a.clientID, "client_secret": a.secret})
		}},
	}
	for round := range 2 {
		p.stall()
		for _, req := range requests {
			began := time.Now()
			r := req.send()
			if took := time.Since(began); took > deadline {
				t.Errorf("round %d, %s: answered in %v, more than %v", round, req.name, took, deadline)
			}
			if r.Status != http.StatusServiceUnavailable || !strings.HasSuffix(messageOf(r), "try again") {
				t.Errorf("round %d, %s: got %d, want 503 saying to try again: %s", round, req.name, r.Status, r.Body)
			}
		}
		p.resume()
		for _, req := range requests {
			if r := req.send(); r.Status != http.StatusOK {
				t.Errorf("round %d, %s after the database came back: got %d, want 200: %s", round, req.name, r.Status, r.Body)
			}
		}
	}
	if logs := s.logs.String(); !strings.Contains(logs, "database unavailable") || strings.Contains(logs, "level=ERROR") {
		t.Errorf("want warnings of an unavailable database and no errors:\n%s", logs)
	}
}

// TestStalledDatabaseWorkIsBounded sends many requests at once while the
// database does not answer: beyond the bound's slots and queue they are
// refused at once, every one answers 503 within the deadline plus a second,
// and afterwards the goroutines return to what they were.
func TestStalledDatabaseWorkIsBounded(t *testing.T) {
	const bound, requests = 4, 40
	s, p := stalledServer(t, identity.WithDatabaseConcurrency(bound))
	teamID, session := s.activeTeam("admin@x.com")
	m := s.create(session, "m@x.com", "3")
	a := s.newApp(teamID, "read")
	get := func() *http.Request {
		req := httptestRequest(http.MethodGet, "/api/v2/tenant/users/"+m.UserID, "")
		req.Header.Set("Authorization", "Bearer "+a.token)
		return req
	}
	s.do(get()).data(t, nil)
	// goroutines counts the goroutines of the server and the test: those of
	// the proxy come and go with the pool's connections.
	goroutines := func() int { return runtime.NumGoroutine() - int(p.pipes.Load()) }
	base := goroutines()

	p.stall()
	began := time.Now()
	replies := make([]*reply, requests)
	var wg sync.WaitGroup
	for i := range replies {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			s.handler.ServeHTTP(rec, get())
			replies[i] = &reply{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
		})
	}
	wg.Wait()
	if took := time.Since(began); took > deadline {
		t.Errorf("%d requests answered in %v, more than %v", requests, took, deadline)
	}
	refused := 0
	for _, r := range replies {
		s.check(get(), r)
		if r.Status != http.StatusServiceUnavailable {
			t.Errorf("got %d, want 503: %s", r.Status, r.Body)
		}
		if strings.Contains(r.Message, "too busy") {
			refused++
		}
	}
	if refused < requests-2*bound {
		t.Errorf("%d of %d requests were refused at once, want at least %d", refused, requests, requests-2*bound)
	}
	p.resume()
	s.do(get()).data(t, nil)
	if !waitFor(10*time.Second, func() bool { return goroutines() <= base+2 }) {
		t.Errorf("%d goroutines after the database came back, %d before it stalled", goroutines(), base)
	}
	t.Logf("goroutines besides the proxy's: %d before, %d after; %d of %d refused at once", base, goroutines(), refused, requests)
}

// waitFor polls cond until it holds or limit passes, and returns whether it
// held.
func waitFor(limit time.Duration, cond func() bool) bool {
	for end := time.Now().Add(limit); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			return false
		}
	}
	return true
}
