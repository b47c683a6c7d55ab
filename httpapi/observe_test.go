package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage/storagetest"
)

// requestLog records what an Observer hears.
type requestLog struct {
	mu   sync.Mutex
	seen []httpapi.Request
}

func (l *requestLog) Served(r httpapi.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, r)
}

// TestObserver: the observer hears of each request once it is answered,
// with its family, the pattern of its route under the prefix (never the
// path asked for), the status answered and a duration.
func TestObserver(t *testing.T) {
	log := &requestLog{}
	s := newServer(t, storagetest.SQLite(t), httpapi.Options{Prefix: "/id", Observer: log})
	cases := []struct {
		method, path  string
		family, route string
	}{
		{http.MethodPost, "/id/api/user/login", "cloud689", "/id/api/user/login"},
		{http.MethodPost, "/id/api/user/no-such-endpoint", "cloud689", "/id/api/user/"},
		{http.MethodGet, "/id/api/v2/tenant/users/u-123", "tenant_v2", "/id/api/v2/tenant/users/{user_id}"},
		{http.MethodPost, "/id/api/v2/tenant/token", "tenant_v2", "/id/api/v2/tenant/token"},
		{http.MethodPost, "/id/api/v5/entity/user/create", "entity_v5", "/id/api/v5/entity/user/create"},
		{http.MethodPost, "/id/app-portal-service/v2.2/user/getUserBaseInfo", "portal", "/id/app-portal-service/v2.2/user/getUserBaseInfo"},
		{http.MethodGet, "/id/openapi.json", "openapi", "/id/openapi.json"},
	}
	for i, c := range cases {
		req := httptest.NewRequest(c.method, c.path, strings.NewReader("mail_address=a%40x.com&password=wrong-1234"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r := httptest.NewRecorder()
		s.handler.ServeHTTP(r, req)
		if len(log.seen) != i+1 {
			t.Fatalf("%s %s: the observer heard of %d requests, want %d", c.method, c.path, len(log.seen), i+1)
		}
		got := log.seen[i]
		if got.Family != c.family || got.Route != c.route || got.Status != r.Code || got.Took <= 0 {
			t.Errorf("%s %s: heard %+v, want family %s, route %s, status %d and a duration", c.method, c.path, got, c.family, c.route, r.Code)
		}
	}
	if !slices.ContainsFunc(log.seen, func(r httpapi.Request) bool { return r.Status == http.StatusOK }) ||
		!slices.ContainsFunc(log.seen, func(r httpapi.Request) bool { return r.Status >= 400 }) {
		t.Errorf("heard %+v, want successes and failures among them", log.seen)
	}
}
