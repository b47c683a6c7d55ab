package storagetest

// The cases of storage.Members that search members by filter (SCIM).

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// scimMember is a member of the search fixtures; created and updated are
// in minutes after base, updated -1 for never.
type scimMember struct {
	id, mail string
	profile  user.Profile
	status   team.MemberStatus
	created  int
	updated  int
}

// scimFixtures differ in case, in non-ASCII letters that fold in Unicode
// only (É, é), and hold the special characters of LIKE and GLOB.
var scimFixtures = []scimMember{
	{"s01", "ann", user.Profile{ExternalID: "EXT-1", FirstName: "Ann", LastName: "Lee", JobTitle: "Engineer", Department: "R&D",
		EmployeeID: "E1", ManagerID: "s02", Phone: "+8613900000001"}, team.MemberActive, 1, 5},
	{"s02", "", user.Profile{LoginName: "Ann_L", ExternalID: "ext-1", FirstName: "ann", MiddleName: "B", LastName: "Émond", DisplayName: "Boss",
		JobTitle: "engineer", EmployeeID: "e1"}, team.MemberActive, 2, -1},
	{"s03", "cat", user.Profile{LoginName: "Émile", ExternalID: `50%_off\`, FirstName: "Émile", LastName: "émile", DisplayName: "É",
		JobTitle: "%", Department: "a_b"}, team.MemberSuspended, 3, 3},
	{"s04", "dan", user.Profile{ExternalID: "x*y?[z]", FirstName: "émile", LastName: "Zola", DisplayName: "é",
		JobTitle: "a%b", Department: "axb"}, team.MemberPending, 4, 7},
	{"s05", "eve", user.Profile{ExternalID: "EXT-1", FirstName: "Ann", LastName: "Lee"}, team.MemberRemoved, 1, 1},
}

// seedSearch makes the members of team a, and in team b a namesake of the
// first, and returns the members of a that are listed, by user ID.
func seedSearch(t *testing.T, s storage.Store, fixtures []scimMember) []team.Member {
	t.Helper()
	seedTeams(t, s, "a", "b")
	var want []team.Member
	for _, f := range fixtures {
		want = append(want, seedScimMember(t, s, "a", f)...)
	}
	twin := fixtures[0]
	twin.id, twin.mail = "t01", "twin"
	seedScimMember(t, s, "b", twin)
	return want
}

// seedScimMember makes f a member of teamID and returns it if listed.
func seedScimMember(t *testing.T, s storage.Store, teamID string, f scimMember) []team.Member {
	t.Helper()
	u := newUser(f.id, "", "")
	u.Profile, u.CreatedAt, u.Email = f.profile, at(0), contact.Email{}
	if f.mail != "" {
		u.Email = email(f.mail)
	}
	m := u.memberOf(teamID, team.RoleMember, f.status)
	m.Membership.CreatedAt, m.Membership.UpdatedAt = at(f.created), time.Time{}
	if f.updated >= 0 {
		m.Membership.UpdatedAt = at(f.updated)
	}
	write(t, s, func(tx storage.Tx) error {
		if _, err := tx.InsertUserIfAbsent(t.Context(), u.User); err != nil {
			return err
		}
		return tx.InsertMembership(t.Context(), m.Membership)
	})
	if f.status == team.MemberRemoved {
		return nil
	}
	return []team.Member{m}
}

// search runs SearchMembers on team a.
func search(t *testing.T, s storage.Store, q team.MemberQuery) ([]team.Member, int) {
	t.Helper()
	return searchIn(t, s, "a", q)
}

// searchIn runs SearchMembers on the team.
func searchIn(t *testing.T, s storage.Store, teamID string, q team.MemberQuery) ([]team.Member, int) {
	t.Helper()
	return readPage(t, s, func(tx storage.Tx) ([]team.Member, int, error) { return tx.SearchMembers(t.Context(), teamID, q) })
}

// Filter constructors.
func cmpF(a team.Attr, c team.Cmp, v any) team.Filter {
	return team.Filter{Op: team.OpCompare, Attr: a, Cmp: c, Value: v}
}
func prF(a team.Attr) team.Filter        { return team.Filter{Op: team.OpPresent, Attr: a} }
func notF(f team.Filter) team.Filter     { return team.Filter{Op: team.OpNot, Sub: []team.Filter{f}} }
func andF(fs ...team.Filter) team.Filter { return team.Filter{Op: team.OpAnd, Sub: fs} }
func orF(fs ...team.Filter) team.Filter  { return team.Filter{Op: team.OpOr, Sub: fs} }
func constF(match bool) team.Filter {
	return team.Filter{Op: map[bool]team.Op{true: team.OpTrue, false: team.OpFalse}[match]}
}
func eqF(a team.Attr, v any) team.Filter                  { return cmpF(a, team.CmpEq, v) }
func textF(a team.Attr, c team.Cmp, v string) team.Filter { return cmpF(a, c, v) }

// searchCases are filters on the search fixtures with the user IDs they
// match, by ID: every attribute and operator, case folding, escaping, empty
// values, times and nesting.
func searchCases() []struct {
	name string
	f    team.Filter
	want []string
} {
	all := []string{"s01", "s02", "s03", "s04"}
	return []struct {
		name string
		f    team.Filter
		want []string
	}{
		{"userID eq", eqF(team.AttrUserID, "s03"), []string{"s03"}},
		{"userID eq other team's", eqF(team.AttrUserID, "t01"), []string{}},
		{"userID eq removed", eqF(team.AttrUserID, "s05"), []string{}},
		{"userID eq case", eqF(team.AttrUserID, "S03"), []string{}},
		{"email eq normalizes", eqF(team.AttrEmail, " ANN@Example.com "), []string{"s01"}},
		{"userName eq login name folds ASCII", eqF(team.AttrUserName, "ANN_l"), []string{"s02"}},
		{"userName eq email when no login name", eqF(team.AttrUserName, "ANN@example.com"), []string{"s01"}},
		{"userName eq not the email of a login name", eqF(team.AttrUserName, "cat@example.com"), []string{}},
		{"userName eq É", eqF(team.AttrUserName, "émile"), []string{}},
		{"userName sw", textF(team.AttrUserName, team.CmpSw, "ann"), []string{"s01", "s02"}},
		{"userName pr", prF(team.AttrUserName), []string{"s01", "s02", "s03", "s04"}},
		{"email pr", prF(team.AttrEmail), []string{"s01", "s03", "s04"}},
		{"email not pr", notF(prF(team.AttrEmail)), []string{"s02"}},
		{"email eq empty", eqF(team.AttrEmail, ""), []string{"s02"}},
		{"email ne", textF(team.AttrEmail, team.CmpNe, "ann@example.com"), []string{"s02", "s03", "s04"}},
		{"email sw", textF(team.AttrEmail, team.CmpSw, "C"), []string{"s03"}},
		{"email ew", textF(team.AttrEmail, team.CmpEw, "@EXAMPLE.COM"), []string{"s01", "s03", "s04"}},
		{"externalId eq exact", eqF(team.AttrExternalID, "EXT-1"), []string{"s01"}},
		{"externalId eq other case", eqF(team.AttrExternalID, "ext-1"), []string{"s02"}},
		{"externalId co exact", textF(team.AttrExternalID, team.CmpCo, "EXT"), []string{"s01"}},
		{"externalId co %_", textF(team.AttrExternalID, team.CmpCo, "%_"), []string{"s03"}},
		{"externalId co _", textF(team.AttrExternalID, team.CmpCo, "_"), []string{"s03"}},
		{`externalId ew \`, textF(team.AttrExternalID, team.CmpEw, `\`), []string{"s03"}},
		{"externalId co *", textF(team.AttrExternalID, team.CmpCo, "*"), []string{"s04"}},
		{"externalId co ?", textF(team.AttrExternalID, team.CmpCo, "?"), []string{"s04"}},
		{"externalId co [z]", textF(team.AttrExternalID, team.CmpCo, "[z]"), []string{"s04"}},
		{"externalId sw x*", textF(team.AttrExternalID, team.CmpSw, "x*"), []string{"s04"}},
		{"externalId sw x", textF(team.AttrExternalID, team.CmpSw, "x"), []string{"s04"}},
		{"givenName eq folds ASCII", eqF(team.AttrGivenName, "ANN"), []string{"s01", "s02"}},
		{"givenName eq é", eqF(team.AttrGivenName, "émile"), []string{"s04"}},
		{"givenName eq É", eqF(team.AttrGivenName, "ÉMILE"), []string{"s03"}},
		{"givenName sw É", textF(team.AttrGivenName, team.CmpSw, "É"), []string{"s03"}},
		{"middleName pr", prF(team.AttrMiddleName), []string{"s02"}},
		{"middleName eq empty", eqF(team.AttrMiddleName, ""), []string{"s01", "s03", "s04"}},
		{"middleName ne empty", textF(team.AttrMiddleName, team.CmpNe, ""), []string{"s02"}},
		{"middleName ne b", textF(team.AttrMiddleName, team.CmpNe, "b"), []string{"s01", "s03", "s04"}},
		{"middleName co empty", textF(team.AttrMiddleName, team.CmpCo, ""), all},
		{"familyName co", textF(team.AttrFamilyName, team.CmpCo, "MON"), []string{"s02"}},
		{"familyName ew É", textF(team.AttrFamilyName, team.CmpEw, "É"), []string{}},
		{"displayName full name", eqF(team.AttrDisplayName, "ann lee"), []string{"s01"}},
		{"displayName own", eqF(team.AttrDisplayName, "BOSS"), []string{"s02"}},
		{"displayName é", eqF(team.AttrDisplayName, "é"), []string{"s04"}},
		{"displayName É", eqF(team.AttrDisplayName, "É"), []string{"s03"}},
		{"title co %", textF(team.AttrTitle, team.CmpCo, "%"), []string{"s03", "s04"}},
		{"title sw %", textF(team.AttrTitle, team.CmpSw, "%"), []string{"s03"}},
		{"title eq a%b", eqF(team.AttrTitle, "A%B"), []string{"s04"}},
		{"title eq folds", eqF(team.AttrTitle, "ENGINEER"), []string{"s01", "s02"}},
		{"department co _", textF(team.AttrDepartment, team.CmpCo, "_"), []string{"s03"}},
		{"department sw a_", textF(team.AttrDepartment, team.CmpSw, "A_"), []string{"s03"}},
		{"department pr", prF(team.AttrDepartment), []string{"s01", "s03", "s04"}},
		{"employeeNumber eq folds", eqF(team.AttrEmployeeNumber, "E1"), []string{"s01", "s02"}},
		{"manager eq", eqF(team.AttrManager, "s02"), []string{"s01"}},
		{"manager eq exact", eqF(team.AttrManager, "S02"), []string{}},
		{"phone eq", eqF(team.AttrPhone, "+8613900000001"), []string{"s01"}},
		{"phone sw", textF(team.AttrPhone, team.CmpSw, "+86"), []string{"s01"}},
		{"active", eqF(team.AttrActive, true), []string{"s01", "s02", "s04"}},
		{"inactive", eqF(team.AttrActive, false), []string{"s03"}},
		{"active ne", cmpF(team.AttrActive, team.CmpNe, true), []string{"s03"}},
		{"active pr", prF(team.AttrActive), all},
		{"created gt", cmpF(team.AttrCreated, team.CmpGt, at(2)), []string{"s03", "s04"}},
		{"created ge", cmpF(team.AttrCreated, team.CmpGe, at(2)), []string{"s02", "s03", "s04"}},
		{"created lt", cmpF(team.AttrCreated, team.CmpLt, at(2)), []string{"s01"}},
		{"created le", cmpF(team.AttrCreated, team.CmpLe, at(2)), []string{"s01", "s02"}},
		{"created eq", cmpF(team.AttrCreated, team.CmpEq, at(3).UTC()), []string{"s03"}},
		{"created ne", cmpF(team.AttrCreated, team.CmpNe, at(3)), []string{"s01", "s02", "s04"}},
		{"created ge sub-µs", cmpF(team.AttrCreated, team.CmpGe, at(2).Add(time.Nanosecond)), []string{"s03", "s04"}},
		{"created lt sub-µs", cmpF(team.AttrCreated, team.CmpLt, at(2).Add(time.Nanosecond)), []string{"s01", "s02"}},
		{"created eq sub-µs", cmpF(team.AttrCreated, team.CmpEq, at(2).Add(time.Nanosecond)), []string{}},
		{"created pr", prF(team.AttrCreated), all},
		{"updated pr", prF(team.AttrUpdated), []string{"s01", "s03", "s04"}},
		{"updated gt", cmpF(team.AttrUpdated, team.CmpGt, at(4)), []string{"s01", "s04"}},
		{"updated not gt", notF(cmpF(team.AttrUpdated, team.CmpGt, at(4))), []string{"s02", "s03"}},
		{"updated le", cmpF(team.AttrUpdated, team.CmpLe, at(4)), []string{"s03"}},
		{"updated ne", cmpF(team.AttrUpdated, team.CmpNe, at(3)), []string{"s01", "s02", "s04"}},
		{"true", constF(true), all},
		{"false", constF(false), []string{}},
		{"not true", notF(constF(true)), []string{}},
		{"and", andF(eqF(team.AttrGivenName, "ann"), orF(eqF(team.AttrFamilyName, "lee"), eqF(team.AttrActive, false))), []string{"s01"}},
		{"or of not", orF(notF(textF(team.AttrGivenName, team.CmpSw, "É")), eqF(team.AttrTitle, "%")), all},
		{"not of and", notF(andF(prF(team.AttrEmail), orF(eqF(team.AttrActive, true), constF(false)))), []string{"s02", "s03"}},
		{"and with false", andF(constF(false), prF(team.AttrEmail)), []string{}},
		{"or with true", orF(constF(true), eqF(team.AttrUserID, "nobody")), all},
		{"not NUL", textF(team.AttrExternalID, team.CmpNe, "a\x00b"), all},
		{"eq invalid UTF-8", eqF(team.AttrGivenName, "\xff"), []string{}},
	}
}

func testSearchMembersFilter(t *testing.T, s storage.Store) {
	seedSearch(t, s, scimFixtures)
	for _, c := range searchCases() {
		got, n := search(t, s, team.MemberQuery{Filter: &c.f, Limit: 100})
		same(t, c.name, userIDs(got), c.want)
		if n != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.name, n, len(c.want))
		}
		if _, n := search(t, s, team.MemberQuery{Filter: &c.f}); n != len(c.want) {
			t.Errorf("%s, count only: total %d, want %d", c.name, n, len(c.want))
		}
	}
}

func testSearchMembersReads(t *testing.T, s storage.Store) {
	all := seedSearch(t, s, scimFixtures)
	got, n := search(t, s, team.MemberQuery{Limit: 100})
	same(t, "every member", got, all)
	if n != len(all) {
		t.Errorf("total %d, want %d", n, len(all))
	}
	f := eqF(team.AttrExternalID, "EXT-1")
	got, _ = search(t, s, team.MemberQuery{Filter: &f, Limit: 1})
	same(t, "by external ID", got, all[:1])
	other, _ := searchIn(t, s, "b", team.MemberQuery{Filter: &f, Limit: 10})
	same(t, "team b", userIDs(other), []string{"t01"})
	for _, teamID := range []string{"nowhere", "a\x00"} {
		ms, n := searchIn(t, s, teamID, team.MemberQuery{Limit: 10})
		if len(ms) != 0 || n != 0 {
			t.Errorf("team %q: %d members, total %d", teamID, len(ms), n)
		}
	}
}

// searchSorts are the attributes a search sorts by.
var searchSorts = []team.Attr{0, team.AttrUserID, team.AttrEmail, team.AttrGivenName, team.AttrFamilyName,
	team.AttrExternalID, team.AttrCreated, team.AttrUpdated, team.AttrUserName}

func testSearchMembersSortAndPage(t *testing.T, s storage.Store) {
	all := seedSearch(t, s, append(slices.Clone(scimFixtures),
		scimMember{"s06", "ann2", user.Profile{ExternalID: "EXT-1", FirstName: "ANN", LastName: "lee"}, team.MemberActive, 1, 5},
		scimMember{"s00", "", user.Profile{FirstName: "Ann", LastName: "Émond"}, team.MemberActive, 2, -1},
	))
	for _, sort := range searchSorts {
		for _, desc := range []bool{false, true} {
			q := team.MemberQuery{Sort: sort, Desc: desc, Limit: 100}
			want := searched(all, q)
			got, n := search(t, s, q)
			name := fmt.Sprintf("sort %d desc %v", sort, desc)
			same(t, name, userIDs(got), userIDs(want))
			if n != len(want) {
				t.Errorf("%s: total %d, want %d", name, n, len(want))
			}
			for offset := range len(want) + 1 {
				q.Offset, q.Limit = offset, 2
				got, n = search(t, s, q)
				same(t, fmt.Sprintf("%s offset %d", name, offset), userIDs(got), userIDs(want[offset:min(offset+2, len(want))]))
				if n != len(want) {
					t.Errorf("%s offset %d: total %d, want %d", name, offset, n, len(want))
				}
			}
		}
	}
	f := prF(team.AttrEmail)
	for _, q := range []team.MemberQuery{{}, {Filter: &f}, {Offset: 3}} {
		got, n := search(t, s, q)
		if want := len(searched(all, q)); len(got) != 0 || n != want {
			t.Errorf("limit 0 %+v: %d members, total %d; want none and %d", q, len(got), n, want)
		}
	}
}
