package identity_test

import (
	"context"
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

// interleavedStore runs between, once, just before its next write: what
// another request does after a use case read and before it writes.
type interleavedStore struct {
	storage.Store
	between func()
}

func (s *interleavedStore) Write(ctx context.Context, fn func(storage.Tx) error) error {
	if between := s.between; between != nil {
		s.between = nil
		between()
	}
	return s.Store.Write(ctx, fn)
}

// interleaved returns a fixture on an interleavedStore, with an active team
// and its admin's actor.
func interleaved(t *testing.T, s storage.Store) (*fixture, *interleavedStore, team.Team, identity.Actor) {
	store := &interleavedStore{Store: s}
	f := newFixture(t, store)
	tm, _ := f.activeTeam("admin@x.com")
	return f, store, tm, f.login("admin@x.com", password, tm.ID)
}

// TestPasswordChangedDuringLogin checks that a login whose password was
// checked against a hash that has since been replaced opens no session with
// the old password, and that the new one works.
func TestPasswordChangedDuringLogin(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f, store, tm, a := interleaved(t, s)
		login := func(pw string) error {
			_, err := f.svc.Login(f.ctx, identity.Login{Email: "admin@x.com", Password: pw, TeamID: tm.ID})
			return err
		}
		store.between = func() { _, err := f.svc.ChangePassword(f.ctx, a, password, "next-password"); must(t, err) }
		wantErr(t, login(password), identity.CodeUnauthorized, "")
		must(t, login("next-password"))
	})
}

// TestConcurrentPasswordChanges checks that of two changes that both checked
// the same old password, the one that writes second is refused.
func TestConcurrentPasswordChanges(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f, store, tm, a := interleaved(t, s)
		store.between = func() { _, err := f.svc.ChangePassword(f.ctx, a, password, "first-password"); must(t, err) }
		_, err := f.svc.ChangePassword(f.ctx, a, password, "second-password")
		wantErr(t, err, identity.CodeInvalid, "old_password")
		f.login("admin@x.com", "first-password", tm.ID)
	})
}

// TestLoginGivesUpOnAChangingPassword checks that a login whose password
// hash changes before each of its writes starts over a bounded number of
// times, then is refused.
func TestLoginGivesUpOnAChangingPassword(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f, store, tm, a := interleaved(t, s)
		passwords := []string{password, "second-password"}
		changes := 0
		var change func()
		change = func() {
			old, next := passwords[changes%2], passwords[(changes+1)%2]
			_, err := f.svc.ChangePassword(f.ctx, a, old, next)
			must(t, err)
			changes++
			store.between = change
		}
		store.between = change
		_, err := f.svc.Login(f.ctx, identity.Login{Email: "admin@x.com", Password: password, TeamID: tm.ID})
		wantErr(t, err, identity.CodeUnauthorized, "")
		if changes != 3 {
			t.Errorf("the password changed %d times during the login, want 3: one a try", changes)
		}
	})
}
