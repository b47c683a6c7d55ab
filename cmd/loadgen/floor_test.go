package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/embedid/identity/storage/storagetest"
)

// backends are the stores the load generator's tests and benchmarks seed:
// a new SQLite file, and a new schema of the Postgres database.
var backends = []struct {
	name string
	dsn  func(tb testing.TB) string
}{
	{"sqlite", func(tb testing.TB) string { return "sqlite:" + filepath.Join(tb.TempDir(), "identity.db") }},
	{"postgres", storagetest.PostgresDSN},
}

// seeded returns a new store of a backend, given its dsn, and the fixture
// of members members seeded into it, with fast password hashes.
func seeded(tb testing.TB, dsn func(testing.TB) string, members int) (string, *fixture) {
	d := dsn(tb)
	f, err := seed(tb.Context(), d, seeding{members: members, bcryptCost: 4, tokenTTL: time.Hour})
	if err != nil {
		tb.Fatal(err)
	}
	return d, f
}

// TestFloor seeds a team and drives the floor of each lookup with the
// lookup's own requests, then asks it for a member nobody is.
func TestFloor(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend.name, func(t *testing.T) {
			dsn, f := seeded(t, backend.dsn, 3)
			s, err := startFixed(t.Context(), 200, dsn, f.teamID)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := s.stop(); err != nil {
					t.Error(err)
				}
			}()
			load := phase{client: newClient(2, time.Second), base: s.base, clients: 2, duration: time.Minute, requests: 9}
			lookups := 0
			for _, e := range endpoints(f, endpointNames) {
				if !e.floor {
					continue
				}
				lookups++
				if o := load.run(context.Background(), e, s.check); o.requests != 9 || o.errors != 0 {
					t.Errorf("%s: sent %d with %d errors: %q", e.name, o.requests, o.errors, o.samples)
				}
				c := e.call(0)
				c.path, c.body = pathProfileFetch+"?user_id=nobody", nil
				if e.name != "v5.profile-fetch" {
					c.path, c.body = e.call(0).path, []byte(`{"mobile":"13000000000","email":"nobody@load.example"}`)
				}
				if _, err := load.do(context.Background(), c, s.check(c)); err == nil {
					t.Errorf("%s: the floor answered a request for nobody", e.name)
				}
			}
			if lookups != len(floorReads) {
				t.Errorf("%d endpoints have a floor; the floor reads %d lookups", lookups, len(floorReads))
			}
		})
	}
}
