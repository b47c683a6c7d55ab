package storagetest

// The cases of storage.Members that list members.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

// listed is a member of the list fixtures; created is in minutes after base.
type listed struct {
	id, first, middle, last, mail string
	role                          team.Role
	status                        team.MemberStatus
	created                       int
}

// listFixtures have ties in every sort key, names that differ only in case,
// non-ASCII letters and users without an email.
var listFixtures = []listed{
	{"u01", "anna", "", "Smith", "zed", team.RoleMember, team.MemberActive, 3},
	{"u02", "Anna", "B", "smith", "Alpha", team.RoleAdmin, team.MemberActive, 1},
	{"u03", "Émile", "", "Zola", "emile.z", team.RoleManager, team.MemberActive, 2},
	{"u04", "émile", "", "Ångström", "EMILE.A", team.RoleMember, team.MemberPending, 2},
	{"u05", "Zoë", "", "Adams", "", team.RoleMember, team.MemberActive, 5},
	{"u06", "bob", "", "Émond", "bob", team.RoleManager, team.MemberActive, 1},
	{"u07", "Bob", "", "Émond", "bob2", team.RoleMember, team.MemberActive, 4},
	{"u08", "carl", "Émile", "Durand", "carl", team.RoleMember, team.MemberActive, 6},
	{"u09", "Dana", "", "O'Neil", "", team.RoleAdmin, team.MemberActive, 6},
	{"u10", "eve", "", "Zola", "eve", team.RoleMember, team.MemberActive, 0},
	{"u11", "Removed", "", "Smith", "removed", team.RoleMember, team.MemberRemoved, 7},
}

// seedList makes the fixtures members of team a, and a namesake of the first
// a member of team b, and returns the members of a that are listed, in no
// particular order.
func seedList(t *testing.T, s storage.Store, fixtures []listed) []team.Member {
	t.Helper()
	seedTeams(t, s, "a", "b")
	var want []team.Member
	for _, f := range fixtures {
		u := newUser(f.id, f.first, f.last)
		u.MiddleName, u.CreatedAt, u.Email = f.middle, at(f.created), contact.Email{}
		if f.mail != "" {
			u.Email = contact.Email{Display: f.mail + "@Example.COM", Normalized: strings.ToLower(f.mail + "@example.com")}
		}
		seedMember(t, s, "a", u, f.role, f.status)
		if f.status != team.MemberRemoved {
			want = append(want, u.memberOf("a", f.role, f.status))
		}
	}
	namesake := newUser("u99", fixtures[0].first, fixtures[0].last)
	seedMember(t, s, "b", namesake, team.RoleMember, team.MemberActive)
	return want
}

// sortKeys compares members by each ascending sort key.
var sortKeys = map[team.SortKey]func(a, b *team.Member) int{
	team.SortFirstNameAsc: func(a, b *team.Member) int {
		return strings.Compare(strings.ToLower(a.Membership.FirstName), strings.ToLower(b.Membership.FirstName))
	},
	team.SortLastNameAsc: func(a, b *team.Member) int {
		return strings.Compare(strings.ToLower(a.Membership.LastName), strings.ToLower(b.Membership.LastName))
	},
	team.SortEmailAsc: func(a, b *team.Member) int { return strings.Compare(a.User.Email.Normalized, b.User.Email.Normalized) },
	team.SortRoleAsc:  func(a, b *team.Member) int { return cmp.Compare(a.Membership.Role, b.Membership.Role) },
	team.SortSignupAsc: func(a, b *team.Member) int {
		return a.User.CreatedAt.Compare(b.User.CreatedAt)
	},
}

// sorted returns the members in the order of k, ties by user ID in the
// same direction.
func sorted(ms []team.Member, k team.SortKey) []team.Member {
	asc := sortKeys[k-(1-k%2)]
	out := slices.Clone(ms)
	slices.SortFunc(out, func(a, b team.Member) int {
		c := cmp.Or(asc(&a, &b), strings.Compare(a.User.ID, b.User.ID))
		if k%2 == 0 {
			c = -c
		}
		return c
	})
	return out
}

// list runs ListMembers on team a.
func list(t *testing.T, s storage.Store, q team.ListQuery) ([]team.Member, int) {
	t.Helper()
	var n int
	ms := read(t, s, func(tx storage.Tx) (ms []team.Member, err error) {
		ms, n, err = tx.ListMembers(t.Context(), "a", q)
		return ms, err
	})
	return ms, n
}

func testListMembersSort(t *testing.T, s storage.Store) {
	all := seedList(t, s, listFixtures)
	for k := team.SortFirstNameAsc; k <= team.SortSignupDesc; k++ {
		got, n := list(t, s, team.ListQuery{Sort: k, Size: team.MaxPageSize})
		same(t, fmt.Sprintf("sort key %d", k), got, sorted(all, k))
		if n != len(all) {
			t.Errorf("sort key %d: total %d, want %d", k, n, len(all))
		}
	}
}

func testListMembersSearch(t *testing.T, s storage.Store) {
	seedList(t, s, listFixtures)
	for _, c := range []struct {
		search string
		want   []string
	}{
		{"émile", []string{"u08", "u03", "u04"}}, // first names and a middle name, in any case
		{"ÉMILE", []string{"u08", "u03", "u04"}},
		{"SMITH", []string{"u01", "u02"}},
		{"anna b smith", []string{"u02"}},
		{"anna smith", []string{"u01"}},
		{"ångström", []string{"u04"}},
		{"o'neil", []string{"u09"}},
		{"alpha@example", []string{"u02"}},
		{"EMILE.", []string{"u03", "u04"}}, // emails
		{"removed", []string{}},
		{"nobody", []string{}},
	} {
		got, n := list(t, s, team.ListQuery{Search: c.search, Sort: team.SortLastNameAsc, Size: 100})
		same(t, "search "+c.search, userIDs(got), c.want)
		if n != len(c.want) {
			t.Errorf("search %q: total %d, want %d", c.search, n, len(c.want))
		}
	}
}

func testListMembersSearchEscaping(t *testing.T, s storage.Store) {
	seedList(t, s, []listed{
		{"u1", "Ten", "", "100%", "", team.RoleMember, team.MemberActive, 1},
		{"u2", "Ten", "", "1000", "", team.RoleMember, team.MemberActive, 1},
		{"u3", "Ann", "", "a_b", "", team.RoleMember, team.MemberActive, 1},
		{"u4", "Ann", "", "axb", "", team.RoleMember, team.MemberActive, 1},
		{"u5", "Back", "", `back\slash`, "", team.RoleMember, team.MemberActive, 1},
		{"u6", "Back", "", "backslash", "", team.RoleMember, team.MemberActive, 1},
	})
	for search, want := range map[string][]string{
		"%": {"u1"}, "0%": {"u1"}, "_": {"u3"}, "a_b": {"u3"}, `\`: {"u5"}, `k\s`: {"u5"}, "k%s": {},
	} {
		got, _ := list(t, s, team.ListQuery{Search: search, Sort: team.SortFirstNameAsc, Size: 10})
		same(t, "search "+search, userIDs(got), want)
	}
}

func testListMembersPaging(t *testing.T, s storage.Store) {
	all := seedList(t, s, listFixtures)
	unmatched := func(m team.Member) bool {
		return !strings.Contains(strings.ToLower(m.Membership.FullName()+"\n"+m.User.Email.Normalized), "e")
	}
	for _, q := range []team.ListQuery{
		{Sort: team.SortRoleAsc, Size: 3},
		{Sort: team.SortSignupDesc, Size: 4},
		{Sort: team.SortFirstNameDesc, Size: 1},
		{Search: "E", Sort: team.SortEmailAsc, Size: 2},
	} {
		want := all
		if q.Search != "" {
			want = slices.DeleteFunc(slices.Clone(all), unmatched)
		}
		want = sorted(want, q.Sort)
		var got []team.Member
		for q.Page = 0; q.Page*q.Size <= len(want); q.Page++ {
			page, n := list(t, s, q)
			if n != len(want) || len(page) > q.Size {
				t.Errorf("%+v: %d members of %d, want at most %d of %d", q, len(page), n, q.Size, len(want))
			}
			got = append(got, page...)
		}
		same(t, fmt.Sprintf("pages of %+v", q), userIDs(got), userIDs(want))
	}
}

// testListFollowsChanges changes users and memberships after they were
// listed once: the order and the total must follow.
func testListFollowsChanges(t *testing.T, s storage.Store) {
	all := seedList(t, s, listFixtures)
	write(t, s, func(tx storage.Tx) error {
		u, err := tx.User(t.Context(), "u05")
		if err != nil {
			return err
		}
		u.Email = contact.Email{Display: "zzz@example.com", Normalized: "zzz@example.com"}
		if err := tx.UpdateUser(t.Context(), u); err != nil {
			return err
		}
		renamed, err := tx.Membership(t.Context(), "a", "u05")
		if err != nil {
			return err
		}
		renamed.FirstName, renamed.LastName = "Aaron", "Ÿzzy" // keys sort by bytes: ÿ after é
		if err := tx.UpdateMembership(t.Context(), renamed); err != nil {
			return err
		}
		m, err := tx.Membership(t.Context(), "a", "u01")
		if err != nil {
			return err
		}
		m.Status = team.MemberRemoved
		return tx.UpdateMembership(t.Context(), m)
	})
	for k, want := range map[team.SortKey]string{
		team.SortFirstNameAsc: "u05", team.SortLastNameDesc: "u05", team.SortEmailDesc: "u05",
	} {
		got, n := list(t, s, team.ListQuery{Sort: k, Size: 1})
		if len(got) != 1 || got[0].User.ID != want || n != len(all)-1 {
			t.Errorf("sort key %d: %d listed of %d, want %s first of %d", k, len(got), n, want, len(all)-1)
		}
	}
	write(t, s, func(tx storage.Tx) error {
		m, err := tx.Membership(t.Context(), "a", "u01")
		if err != nil {
			return err
		}
		m.Status = team.MemberActive
		return tx.UpdateMembership(t.Context(), m)
	})
	if _, n := list(t, s, team.ListQuery{Sort: team.SortEmailDesc, Size: 1}); n != len(all) {
		t.Errorf("total %d after a member came back, want %d", n, len(all))
	}
}

// testListKeysFollowUser changes the email of a member of two teams and
// renames her in one: lists sorted by those keys, searched or not, follow
// the email in both teams and the names in the team that changed them.
func testListKeysFollowUser(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	for _, u := range []person{newUser("u1", "Bea", "Moss"), newUser("u2", "Cleo", "Nash"), newUser("u3", "Dora", "Ortiz")} {
		seedMember(t, s, "a", u, team.RoleMember, team.MemberActive)
		seedMember(t, s, "b", u, team.RoleMember, team.MemberActive)
	}
	write(t, s, func(tx storage.Tx) error {
		u, err := tx.User(t.Context(), "u2")
		if err != nil {
			return err
		}
		u.Email = email("0first")
		if err := tx.UpdateUser(t.Context(), u); err != nil {
			return err
		}
		m, err := tx.Membership(t.Context(), "a", "u2")
		if err != nil {
			return err
		}
		m.FirstName, m.LastName = "Zed", "Abel"
		return tx.UpdateMembership(t.Context(), m)
	})
	for _, c := range []struct {
		team   string
		sort   team.SortKey
		search string
		want   []string
	}{
		{"a", team.SortFirstNameAsc, "", []string{"u1", "u3", "u2"}},
		{"a", team.SortLastNameAsc, "", []string{"u2", "u1", "u3"}},
		{"a", team.SortEmailAsc, "", []string{"u2", "u1", "u3"}},
		{"a", team.SortFirstNameDesc, "example", []string{"u2", "u3", "u1"}},
		{"a", team.SortLastNameAsc, "example", []string{"u2", "u1", "u3"}},
		{"a", team.SortEmailDesc, "example", []string{"u3", "u1", "u2"}},
		{"a", team.SortEmailDesc, "zed", []string{"u2"}},
		{"a", team.SortEmailDesc, "cleo", []string{}},
		{"b", team.SortFirstNameAsc, "", []string{"u1", "u2", "u3"}},
		{"b", team.SortLastNameAsc, "", []string{"u1", "u2", "u3"}},
		{"b", team.SortEmailAsc, "", []string{"u2", "u1", "u3"}},
		{"b", team.SortFirstNameDesc, "example", []string{"u3", "u2", "u1"}},
		{"b", team.SortLastNameAsc, "0first", []string{"u2"}},
		{"b", team.SortEmailDesc, "example", []string{"u3", "u1", "u2"}},
		{"b", team.SortEmailDesc, "zed", []string{}},
		{"b", team.SortEmailDesc, "cleo", []string{"u2"}},
	} {
		got := read(t, s, func(tx storage.Tx) ([]team.Member, error) {
			ms, _, err := tx.ListMembers(t.Context(), c.team, team.ListQuery{Sort: c.sort, Search: c.search, Size: 10})
			return ms, err
		})
		same(t, fmt.Sprintf("team %s, sort key %d, search %q", c.team, c.sort, c.search), userIDs(got), c.want)
	}
	// without an email, the user's email key is empty: first ascending
	write(t, s, func(tx storage.Tx) error {
		u, err := tx.User(t.Context(), "u3")
		if err != nil {
			return err
		}
		u.Email = contact.Email{}
		return tx.UpdateUser(t.Context(), u)
	})
	got, _ := list(t, s, team.ListQuery{Sort: team.SortEmailAsc, Size: 10})
	same(t, "sort by email after u3 lost hers", userIDs(got), []string{"u3", "u2", "u1"})
}

// testListCountFollowsStatus removes, changes and restores a member: the
// total and the list follow, and only a move to or from removed counts.
func testListCountFollowsStatus(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	for _, id := range []string{"u1", "u2", "u3"} {
		seedMember(t, s, "a", newUser(id, "Ann", "Lee"), team.RoleMember, team.MemberActive)
	}
	seedMember(t, s, "b", newUser("u4", "Ann", "Lee"), team.RoleMember, team.MemberActive)
	for _, step := range []struct {
		status team.MemberStatus
		role   team.Role
		want   []string
	}{
		{team.MemberRemoved, team.RoleMember, []string{"u1", "u3"}},
		{team.MemberRemoved, team.RoleManager, []string{"u1", "u3"}}, // still removed
		{team.MemberPending, team.RoleManager, []string{"u1", "u2", "u3"}},
		{team.MemberActive, team.RoleManager, []string{"u1", "u2", "u3"}}, // still listed
		{team.MemberRemoved, team.RoleManager, []string{"u1", "u3"}},
		{team.MemberActive, team.RoleMember, []string{"u1", "u2", "u3"}},
	} {
		write(t, s, func(tx storage.Tx) error {
			m, err := tx.Membership(t.Context(), "a", "u2")
			if err != nil {
				return err
			}
			m.Status, m.Role = step.status, step.role
			return tx.UpdateMembership(t.Context(), m)
		})
		for _, search := range []string{"", "ann"} {
			got, n := list(t, s, team.ListQuery{Sort: team.SortFirstNameAsc, Search: search, Size: 10})
			same(t, fmt.Sprintf("after status %d, search %q", step.status, search), userIDs(got), step.want)
			if n != len(step.want) {
				t.Errorf("after status %d, search %q: total %d, want %d", step.status, search, n, len(step.want))
			}
		}
		if n := read(t, s, func(tx storage.Tx) (int, error) {
			_, n, err := tx.ListMembers(t.Context(), "b", team.ListQuery{Sort: team.SortFirstNameAsc, Size: 10})
			return n, err
		}); n != 1 {
			t.Errorf("after status %d: team b total %d, want 1", step.status, n)
		}
	}
}
