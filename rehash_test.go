package identity_test

import (
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

// TestRaisedCostRehashes logs in through a service of a higher bcrypt cost:
// the owner's and a team's password are hashed again at that cost, and
// still open what they opened.
func TestRaisedCostRehashes(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s)
		tm, admin := f.activeTeam("owner@x.com")
		created := f.create(admin, "member@x.com", team.RoleMember)
		raised := newFixture(t, s, identity.WithBcryptCost(5))
		for range 2 {
			raised.login("owner@x.com", password, tm.ID)
			raised.login("member@x.com", password, tm.ID)
		}
		err := s.Query(f.ctx, func(r storage.Reads) error {
			owner, err := r.User(f.ctx, admin.UserID)
			if err != nil {
				return err
			}
			m, err := r.Membership(f.ctx, tm.ID, created.User.ID)
			if err != nil {
				return err
			}
			for name, hash := range map[string][]byte{"owner's": owner.PasswordHash, "team's": m.PasswordHash} {
				if cost, err := bcrypt.Cost(hash); err != nil || cost != 5 {
					t.Errorf("the %s hash has cost %d (%v), want 5", name, cost, err)
				}
			}
			return nil
		})
		must(t, err)
	})
}
