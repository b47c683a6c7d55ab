package identity_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

// countingStore counts the Query calls that reach the store it wraps.
type countingStore struct {
	storage.Store
	queries atomic.Int32
}

func (s *countingStore) Query(ctx context.Context, fn func(storage.Tx) error) error {
	s.queries.Add(1)
	return s.Store.Query(ctx, fn)
}

func TestTokenCache(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		cs := &countingStore{Store: s}
		f := newFixture(t, cs, identity.WithTokenTTL(3*time.Second))
		corp, _ := f.activeTeam("cache@example.com")
		app, err := f.svc.CreateApplication(f.ctx, corp.ID, "cached", team.Permissions{team.PermUserAll})
		must(t, err)
		tok, err := f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret, "")
		must(t, err)
		auth := func(wantQueries int32) identity.Client {
			t.Helper()
			c, err := f.svc.AuthenticateToken(f.ctx, tok.Token)
			must(t, err)
			if got := cs.queries.Load(); got != wantQueries {
				t.Fatalf("store queried %d times, want %d", got, wantQueries)
			}
			return c
		}
		start := cs.queries.Load()
		c := auth(start + 1)
		c.Permissions[0] = team.PermAll // the caller's copy, not the cache's
		if c := auth(start + 1); c.TeamID != corp.ID || c.Permissions[0] != team.PermUserAll {
			t.Fatalf("cached client %+v", c)
		}
		f.clock.Advance(identity.DefaultTokenCacheTTL - time.Microsecond)
		auth(start + 1)
		f.clock.Advance(time.Microsecond)
		auth(start + 2)
		f.clock.Advance(3*time.Second - identity.DefaultTokenCacheTTL) // the token expires while cached
		_, err = f.svc.AuthenticateToken(f.ctx, tok.Token)
		wantErr(t, err, identity.CodeUnauthorized, "access_token")
	})
}

func TestTokenCacheOff(t *testing.T) {
	cs := &countingStore{Store: storagetest.SQLite(t)}
	f := newFixture(t, cs, identity.WithTokenCache(0))
	corp, _ := f.activeTeam("nocache@example.com")
	app, err := f.svc.CreateApplication(f.ctx, corp.ID, "uncached", team.Permissions{team.PermAll})
	must(t, err)
	tok, err := f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret, "")
	must(t, err)
	start := cs.queries.Load()
	for range 3 {
		_, err := f.svc.AuthenticateToken(f.ctx, tok.Token)
		must(t, err)
	}
	if got := cs.queries.Load() - start; got != 3 {
		t.Fatalf("store queried %d times for 3 calls, want 3", got)
	}
	_, err = identity.New(cs, identity.WithTokenCache(-time.Second))
	wantErr(t, err, identity.CodeInvalid, "token_cache")
}
