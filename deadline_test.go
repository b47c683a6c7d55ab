package identity_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

// within fails t unless call returns an unavailable error within limit.
func within(t *testing.T, limit time.Duration, name string, call func() error) {
	t.Helper()
	began := time.Now()
	err := call()
	if took := time.Since(began); took > limit {
		t.Errorf("%s took %v, more than %v", name, took, limit)
	}
	if !errors.Is(err, identity.ErrUnavailable) {
		t.Errorf("%s: got %v (code %q), want unavailable", name, err, identity.ErrorCode(err))
	}
}

// TestStuckSQLiteWriterAnswersWithinTheDeadline holds SQLite's write lock
// from another connection, as another process would: writes fail as
// unavailable within the deadline plus a second, although the busy timeout
// is 10 seconds, reads still answer (WAL readers wait for no writer), and
// writes succeed once the lock is free.
func TestStuckSQLiteWriterAnswersWithinTheDeadline(t *testing.T) {
	path := "sqlite:" + filepath.Join(t.TempDir(), "identity.db")
	f := newFixture(t, storagetest.OpenMigrated(t, path), identity.WithDatabaseTimeout(time.Second))
	_, admin := f.activeTeam("admin@x.com")
	other := storagetest.OpenMigrated(t, path)
	tx, err := other.Bun().DB.BeginTx(f.ctx, nil) // _txlock=immediate: takes the write lock
	must(t, err)
	create := func(email string) error {
		_, err := f.svc.CreateMember(f.ctx, admin, newMember(email, team.RoleMember))
		return err
	}
	var wg sync.WaitGroup
	for _, email := range []string{"a@x.com", "b@x.com", "c@x.com"} {
		wg.Go(func() { within(t, 2*time.Second, "CreateMember "+email, func() error { return create(email) }) })
	}
	wg.Wait()
	if _, _, err := f.svc.ListMembers(f.ctx, admin, identity.DefaultListQuery()); err != nil {
		t.Errorf("ListMembers while the write lock is held: %v", err)
	}
	must(t, tx.Rollback())
	must(t, create("a@x.com"))
	must(t, create("d@x.com"))
}

// TestCancelledCallerIsUnavailable checks that a use case whose caller's
// context has ended fails as unavailable, with the context's error in the
// chain, on every backend.
func TestCancelledCallerIsUnavailable(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		ctx, cancel := context.WithCancel(f.ctx)
		cancel()
		_, _, err := f.svc.ListMembers(ctx, admin, identity.DefaultListQuery())
		if !errors.Is(err, identity.ErrUnavailable) || !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v (code %q), want unavailable and context.Canceled", err, identity.ErrorCode(err))
		}
		if msg := identity.ErrorMessage(err); msg != "the request ended before the database answered" {
			t.Errorf("message %q", msg)
		}
	})
}

// stuckStore is a store whose Query waits until its context ends, as a
// database that stopped answering.
type stuckStore struct {
	storage.Store
	entered chan struct{}
}

func (s *stuckStore) Query(ctx context.Context, fn func(storage.Reads) error) error {
	s.entered <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}

// TestDatabaseWorkIsBounded makes 3n calls at once to a service bounded at
// n on a store that never answers: n work, n wait, and n are refused at
// once; when the callers give up, the others fail as unavailable too.
func TestDatabaseWorkIsBounded(t *testing.T) {
	const n = 3
	stuck := &stuckStore{Store: storagetest.SQLite(t), entered: make(chan struct{}, n)}
	svc, err := identity.New(stuck, identity.WithDatabaseTimeout(time.Hour), identity.WithDatabaseConcurrency(n))
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 3*n)
	for range 3 * n {
		go func() {
			_, err := svc.FindByID(ctx, identity.Client{TeamID: "t", Permissions: team.Permissions{"read"}}, "u")
			errs <- err
		}()
	}
	for range n { // no slot frees until cancel: the first n to finish were refused
		if err := <-errs; identity.ErrorMessage(err) != "the database is too busy to take this request; try again" || !errors.Is(err, identity.ErrUnavailable) {
			t.Errorf("got %v, want a refusal", err)
		}
	}
	for range n {
		<-stuck.entered
	}
	cancel()
	for range 2 * n {
		if err := <-errs; !errors.Is(err, identity.ErrUnavailable) || !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want unavailable and cancelled", err)
		}
	}
}

func TestDatabaseOptionsAreChecked(t *testing.T) {
	s := storagetest.SQLite(t)
	_, err := identity.New(s, identity.WithDatabaseTimeout(0))
	wantErr(t, err, identity.CodeInvalid, "database_timeout")
	_, err = identity.New(s, identity.WithDatabaseConcurrency(0))
	wantErr(t, err, identity.CodeInvalid, "database_concurrency")
}
