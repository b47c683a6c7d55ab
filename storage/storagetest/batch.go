package storagetest

// The cases of the multi-row writes of storage.Users, storage.Members and storage.Credentials.

import (
	"fmt"
	"slices"
	"testing"

	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// testBatches inserts more rows than one statement holds, some of them
// clashing with rows already stored, and checks what was added.
func testBatches(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	taken := newUser("taken", "T", "T")
	taken.Email = email("u7")
	taken.Mobile = mobile(9)
	seedMember(t, s, "a", taken, team.RoleMember, team.MemberActive)

	const n = 450
	us := make([]user.User, n)
	for i := range us {
		us[i] = newUser(fmt.Sprintf("b%03d", i), "F", "L").User
		us[i].Email = email(fmt.Sprintf("u%d", i))
	}
	us[9].Mobile = mobile(9) // taken by mobile; us[7] is taken by email
	added := writeResult(t, s, func(tx storage.Tx) (map[string]bool, error) { return tx.InsertUsersIfAbsent(t.Context(), us) })
	if len(added) != n-2 || added["b007"] || added["b009"] || !added["b449"] {
		t.Fatalf("added %d users; b007 %v, b009 %v", len(added), added["b007"], added["b009"])
	}

	emails := make([]string, 0, n)
	for _, u := range us {
		emails = append(emails, u.Email.Normalized)
	}
	found := read(t, s, func(tx storage.Tx) ([]user.User, error) { return tx.UsersByEmails(t.Context(), emails) })
	ids := make([]string, len(found))
	for i, u := range found {
		ids[i] = u.ID
	}
	slices.Sort(ids)
	if len(ids) != n-1 || !slices.Contains(ids, "taken") || slices.Contains(ids, "b007") {
		t.Fatalf("UsersByEmails found %d users", len(ids))
	}
	byMobile := read(t, s, func(tx storage.Tx) ([]user.User, error) {
		return tx.UsersByMobiles(t.Context(), []string{mobile(9).E164(), mobile(8).E164()})
	})
	if len(byMobile) != 1 || byMobile[0].ID != "taken" {
		t.Fatalf("UsersByMobiles found %v", byMobile)
	}

	ms := []team.Membership{membership("a", "taken", team.RoleMember, team.MemberActive, at(1))}
	for id := range added {
		ms = append(ms, membership("a", id, team.RoleMember, team.MemberActive, at(1)))
	}
	joined := writeResult(t, s, func(tx storage.Tx) (map[string]bool, error) { return tx.InsertMembershipsIfAbsent(t.Context(), ms, us) })
	if len(joined) != len(added) || joined["taken"] {
		t.Fatalf("added %d memberships, want %d; taken %v", len(joined), len(added), joined["taken"])
	}

	codes := make([]user.Code, 0, len(added))
	for id := range added {
		codes = append(codes, user.Code{Hash: []byte("h" + id), Kind: user.CodeInvitation, UserID: id, TeamID: "a", CreatedAt: at(1), ExpiresAt: at(31)})
	}
	write(t, s, func(tx storage.Tx) error { return tx.InsertCodes(t.Context(), codes) })
	got := read(t, s, func(tx storage.Tx) (user.Code, error) { return tx.Code(t.Context(), []byte("hb449")) })
	same(t, "code", got, codes[slices.IndexFunc(codes, func(c user.Code) bool { return c.UserID == "b449" })])
}
