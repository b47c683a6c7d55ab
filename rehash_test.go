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

// TestPasswordsAreNormalizedAtLogin sets a team's password as one system
// types it (NFD) and logs in with another's (NFC); then a hash made from
// unnormalized bytes, as before passwords were normalized, opens the
// account once and is replaced by the hash of the NFC form.
func TestPasswordsAreNormalizedAtLogin(t *testing.T) {
	nfc, nfd := "Tr\u00e2n \u00c9lodie 2026", "Tra\u0302n E\u0301lodie 2026"
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("owner@x.com")
		in := newMember("nfd@x.com", team.RoleMember)
		in.Password = nfd
		m, err := f.svc.CreateMember(f.ctx, admin, in)
		must(t, err)
		f.login("nfd@x.com", nfc, tm.ID)

		legacy, err := bcrypt.GenerateFromPassword([]byte(nfd), 4)
		must(t, err)
		setTeamPassword(t, f, tm.ID, m.User.ID, legacy)
		f.login("nfd@x.com", nfd, tm.ID)
		hash := teamPassword(t, f, tm.ID, m.User.ID)
		if bcrypt.CompareHashAndPassword(hash, []byte(nfc)) != nil {
			t.Fatal("the legacy hash was not replaced by the hash of the NFC form")
		}
		f.login("nfd@x.com", nfc, tm.ID)
	})
}

// setTeamPassword stores hash as the team's password of a member.
func setTeamPassword(t *testing.T, f *fixture, teamID, userID string, hash []byte) {
	t.Helper()
	must(t, f.svc.Store().Write(f.ctx, func(tx storage.Tx) error {
		m, err := tx.Membership(f.ctx, teamID, userID)
		if err != nil {
			return err
		}
		m.PasswordHash = hash
		return tx.UpdateMembership(f.ctx, m)
	}))
}

// teamPassword returns the team's password hash of a member.
func teamPassword(t *testing.T, f *fixture, teamID, userID string) []byte {
	t.Helper()
	var hash []byte
	must(t, f.svc.Store().Query(f.ctx, func(r storage.Reads) error {
		m, err := r.Membership(f.ctx, teamID, userID)
		hash = m.PasswordHash
		return err
	}))
	return hash
}
