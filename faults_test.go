package identity_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// faultyStore fails the membership insert that reaches the nth membership
// of its writes.
type faultyStore struct {
	storage.Store
	failAt int64
	calls  atomic.Int64
}

func (s *faultyStore) Write(ctx context.Context, fn func(storage.Tx) error) error {
	return s.Store.Write(ctx, func(tx storage.Tx) error { return fn(&faultyTx{Tx: tx, s: s}) })
}

type faultyTx struct {
	storage.Tx
	s *faultyStore
}

var errInjected = errors.New("injected failure")

func (tx *faultyTx) InsertMembershipIfAbsent(ctx context.Context, m team.Membership) (bool, error) {
	if tx.s.calls.Add(1) == tx.s.failAt {
		return false, errInjected
	}
	return tx.Tx.InsertMembershipIfAbsent(ctx, m)
}

func (tx *faultyTx) InsertMembershipsIfAbsent(ctx context.Context, ms []team.Membership, users []user.User) (map[string]bool, error) {
	if n := tx.s.calls.Add(int64(len(ms))); n >= tx.s.failAt && n-int64(len(ms)) < tx.s.failAt {
		return nil, errInjected
	}
	return tx.Tx.InsertMembershipsIfAbsent(ctx, ms, users)
}

func TestImportFailingMidwayLeavesNothing(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		faulty := &faultyStore{Store: s}
		f := newFixture(t, faulty)
		_, admin := f.activeTeam("admin@x.com")
		faulty.failAt = faulty.calls.Load() + 900
		file := csvFile(1000, func(i int) string { return fmt.Sprintf("u%04d@x.com,F,L,3,", i) })
		_, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(file))
		if !errors.Is(err, errInjected) || identity.ErrorCode(err) != identity.CodeInternal {
			t.Fatalf("got %v, want the injected failure as an internal error", err)
		}
		if msg := identity.ErrorMessage(err); strings.Contains(msg, "injected") {
			t.Fatalf("the message shows the cause: %q", msg)
		}
		for _, email := range []string{"u0000@x.com", "u0898@x.com", "u0899@x.com"} {
			if teams, _, err := f.svc.TeamsForEmail(f.ctx, email); err != nil || len(teams) != 0 {
				t.Fatalf("%s was kept: %v %v", email, teams, err)
			}
		}
	})
}

func TestClosedDatabaseIsAnInternalError(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s)
		tm, a := f.activeTeam("admin@x.com")
		must(t, s.(*storage.DB).Bun().DB.Close())

		calls := map[string]error{
			"Login": func() error {
				_, err := f.svc.Login(f.ctx, identity.Login{Email: "admin@x.com", Password: password, TeamID: tm.ID})
				return err
			}(),
			"ListMembers": func() error { _, _, err := f.svc.ListMembers(f.ctx, a, identity.DefaultListQuery()); return err }(),
			"CreateMember": func() error {
				_, err := f.svc.CreateMember(f.ctx, a, newMember("new@x.com", team.RoleMember))
				return err
			}(),
			"Ping": s.Ping(f.ctx),
		}
		for name, err := range calls {
			if identity.ErrorCode(err) != identity.CodeInternal || strings.Contains(identity.ErrorMessage(err), "closed") {
				t.Errorf("%s: code %q, message %q (%v)", name, identity.ErrorCode(err), identity.ErrorMessage(err), err)
			}
		}
	})
}
