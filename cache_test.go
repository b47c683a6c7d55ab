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

func (s *countingStore) Query(ctx context.Context, fn func(storage.Reads) error) error {
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

func TestTeamCache(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		corp, admin := f.activeTeam("cache@example.com")
		c := f.client(corp.ID, "user_all")
		u, err := f.svc.CreateOrGetUser(f.ctx, c, identity.NewContact{AreaCode: "1", Mobile: "650 253 0000"})
		must(t, err)
		// another process stands for any writer but this Service
		other, err := identity.New(f.svc.Store(), identity.WithClock(f.clock.Now), identity.WithBcryptCost(4))
		must(t, err)
		uncached, err := identity.New(f.svc.Store(), identity.WithClock(f.clock.Now), identity.WithTeamCache(0))
		must(t, err)
		sees := func(svc *identity.Service, domain string, found bool) {
			t.Helper()
			tm, err := svc.ClientTeam(f.ctx, c)
			must(t, err)
			if tm.Domain != domain {
				t.Fatalf("domain %q, want %q", tm.Domain, domain)
			}
			m, err := svc.FindByMobile(f.ctx, c, "650 253 0000") // national in US, invalid in CN
			switch {
			case found && (err != nil || m.User.ID != u.UserID):
				t.Fatalf("national number in the new region: %v", err)
			case !found:
				wantErr(t, err, identity.CodeInvalid, "mobile")
			}
		}
		update := func(svc *identity.Service, region, domain string) {
			t.Helper()
			_, err := svc.UpdateTeam(f.ctx, admin, corp.ID, team.Profile{Name: corp.Name, Region: region, Domain: domain})
			must(t, err)
		}
		sees(f.svc, "", false)
		update(other, "US", "us.example")
		sees(uncached, "us.example", true)
		f.clock.Advance(identity.DefaultTeamCacheTTL - time.Microsecond)
		sees(f.svc, "", false) // remembered
		f.clock.Advance(time.Microsecond)
		sees(f.svc, "us.example", true)
		update(f.svc, "CN", "cn.example")
		sees(f.svc, "cn.example", false) // its own write shows at once
	})
	_, err := identity.New(storagetest.SQLite(t), identity.WithTeamCache(-time.Second))
	wantErr(t, err, identity.CodeInvalid, "team_cache")
}
