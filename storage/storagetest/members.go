package storagetest

// The cases of storage.Members: memberships, members and owners.

import (
	"testing"
	"time"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

func testOwners(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	for _, id := range []string{"u1", "o1", "o2", "o3"} {
		seedMember(t, s, "a", newUser(id, id, id), team.RoleMember, team.MemberActive)
	}
	owners := func() []string {
		return read(t, s, func(tx storage.Tx) ([]string, error) { return tx.Owners(t.Context(), "a", "u1") })
	}
	same(t, "Owners of nobody", owners(), []string{})
	write(t, s, func(tx storage.Tx) error {
		return firstError(
			tx.AddOwner(t.Context(), "a", "u1", "o3", at(2)),
			tx.AddOwner(t.Context(), "a", "u1", "o2", at(1)),
			tx.AddOwner(t.Context(), "a", "u1", "o1", at(2)),
			tx.AddOwner(t.Context(), "a", "u1", "o2", at(9)), // again: nothing changes
		)
	})
	same(t, "Owners", owners(), []string{"o2", "o1", "o3"})
	write(t, s, func(tx storage.Tx) error {
		return firstError(
			tx.RemoveOwner(t.Context(), "a", "u1", "o1"),
			tx.RemoveOwner(t.Context(), "a", "u1", "o1"),
			tx.RemoveOwner(t.Context(), "a", "u1", "nobody"),
		)
	})
	same(t, "Owners after RemoveOwner", owners(), []string{"o2", "o3"})
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.AddOwner(t.Context(), "a", "u1", "nobody", at(3)) })
}

func testMemberships(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	u := newUser("u1", "Ann", "Lee")
	write(t, s, func(tx storage.Tx) error { return tx.InsertUser(t.Context(), u.User) })
	m := u.membershipOf("a", team.RoleManager, team.MemberPending)
	write(t, s, func(tx storage.Tx) error { return tx.InsertMembership(t.Context(), m) })
	fails(t, s, errs.Conflict, "user_id", func(tx storage.Tx) error { return tx.InsertMembership(t.Context(), m) })
	for _, stranger := range []team.Membership{membership("a", "nobody", team.RoleMember, team.MemberActive, at(1)),
		membership("nowhere", "u1", team.RoleMember, team.MemberActive, at(1))} {
		fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.InsertMembership(t.Context(), stranger) })
	}

	again := membership("a", "u1", team.RoleAdmin, team.MemberActive, at(5))
	added := writeResult(t, s, func(tx storage.Tx) (bool, error) { return tx.InsertMembershipIfAbsent(t.Context(), again) })
	if added {
		t.Error("InsertMembershipIfAbsent added a second membership")
	}
	got := read(t, s, func(tx storage.Tx) (team.Membership, error) { return tx.Membership(t.Context(), "a", "u1") })
	same(t, "Membership", got, m)

	want := fullUser("u1", 1).membershipOf("a", team.RoleAdmin, team.MemberRemoved) // the team's whole record changes
	want.CreatedAt, want.Pool, want.UpdatedAt = m.CreatedAt, team.PoolDead, at(8)
	want.PasswordHash, want.PasswordChangedAt = []byte("team-a-hash"), at(7)
	changed := want
	changed.CreatedAt = at(99) // not mutable
	write(t, s, func(tx storage.Tx) error { return tx.UpdateMembership(t.Context(), changed) })
	got = read(t, s, func(tx storage.Tx) (team.Membership, error) { return tx.Membership(t.Context(), "a", "u1") })
	same(t, "Membership after UpdateMembership", got, want)

	seedTeams(t, s, "b")
	fresh := membership("b", "u1", team.RoleMember, team.MemberActive, at(2))
	fresh.PasswordHash, fresh.PasswordChangedAt = []byte("team-b-hash"), at(2)
	if !writeResult(t, s, func(tx storage.Tx) (bool, error) { return tx.InsertMembershipIfAbsent(t.Context(), fresh) }) {
		t.Error("InsertMembershipIfAbsent did not add a new membership")
	}
	got = read(t, s, func(tx storage.Tx) (team.Membership, error) { return tx.Membership(t.Context(), "b", "u1") })
	same(t, "Membership with a team password", got, fresh)

	write(t, s, func(tx storage.Tx) error { return tx.EndTeamPasswords(t.Context(), "u1") })
	want.PasswordHash, want.PasswordChangedAt = nil, time.Time{}
	fresh.PasswordHash, fresh.PasswordChangedAt = nil, time.Time{}
	for _, m := range []team.Membership{want, fresh} {
		got = read(t, s, func(tx storage.Tx) (team.Membership, error) { return tx.Membership(t.Context(), m.TeamID, "u1") })
		same(t, "Membership after EndTeamPasswords", got, m)
	}
}

func testCountActiveAdmins(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	seedMember(t, s, "a", newUser("u1", "A", "A"), team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", newUser("u2", "B", "B"), team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", newUser("u3", "C", "C"), team.RoleAdmin, team.MemberPending)
	seedMember(t, s, "a", newUser("u4", "D", "D"), team.RoleAdmin, team.MemberRemoved)
	seedMember(t, s, "a", newUser("u5", "E", "E"), team.RoleManager, team.MemberActive)
	seedMember(t, s, "b", newUser("u6", "F", "F"), team.RoleAdmin, team.MemberActive)
	for teamID, want := range map[string]int{"a": 2, "b": 1, "c": 0} {
		got := read(t, s, func(tx storage.Tx) (int, error) { return tx.CountActiveAdmins(t.Context(), teamID) })
		if got != want {
			t.Errorf("CountActiveAdmins(%q) = %d, want %d", teamID, got, want)
		}
	}
}

func testTeams(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b", "c", "d")
	// Each team knows the person by its own record.
	a, b, c := newUser("u1", "Ann", "Lee"), newUser("u1", "Anna", "Li"), fullUser("u1", 1)
	ms := []team.Membership{
		c.membershipOf("c", team.RoleAdmin, team.MemberActive),
		b.membershipOf("b", team.RoleMember, team.MemberRemoved),
		a.membershipOf("a", team.RoleManager, team.MemberPending),
	}
	ms[0].CreatedAt, ms[1].CreatedAt, ms[2].CreatedAt = at(2), at(1), at(1)
	write(t, s, func(tx storage.Tx) error {
		if err := tx.InsertUser(t.Context(), a.User); err != nil {
			return err
		}
		for _, m := range ms {
			if err := tx.InsertMembership(t.Context(), m); err != nil {
				return err
			}
		}
		return nil
	})
	got := read(t, s, func(tx storage.Tx) ([]team.Teamed, error) { return tx.Teams(t.Context(), "u1") })
	same(t, "Teams", got, []team.Teamed{
		{Team: newTeam("a"), Membership: ms[2]},
		{Team: newTeam("b"), Membership: ms[1]},
		{Team: newTeam("c"), Membership: ms[0]},
	})
	none := read(t, s, func(tx storage.Tx) ([]team.Teamed, error) { return tx.Teams(t.Context(), "nobody") })
	same(t, "Teams of nobody", none, []team.Teamed{})
}

// testMember reads back a member with every field of the user and of the
// team's record set; the record's times, given with nanoseconds in another
// zone, come back truncated to microseconds, in UTC.
func testMember(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	u := fullUser("u1", 1)
	in := u
	nine := time.FixedZone("UTC+9", 9*3600)
	for _, p := range []*time.Time{&in.Birthday, &in.HireDate, &in.LastLoginAt} {
		*p = p.Add(789 * time.Nanosecond).In(nine)
	}
	seedMember(t, s, "a", in, team.RoleManager, team.MemberRemoved)
	got := read(t, s, func(tx storage.Tx) (team.Member, error) { return tx.Member(t.Context(), "a", "u1") })
	same(t, "Member", got, u.memberOf("a", team.RoleManager, team.MemberRemoved))
	m := &got.Membership
	for _, p := range []*time.Time{&m.Birthday, &m.HireDate, &m.LastLoginAt, &m.CreatedAt, &m.UpdatedAt} {
		if p.Location() != time.UTC {
			t.Errorf("time %v of the membership is not in UTC", *p)
		}
	}
}

func testFindMembers(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	named := newUser("u1", "Ann", "Lee")
	named.UserName, named.Mobile = "annlee", mobile(1)
	unnamed := newUser("u2", "Ann", "Lee")
	unnamed.MiddleName, unnamed.Mobile = "Marie", mobile(2)
	twin := newUser("u3", "Ann", "Lee")
	twin.MiddleName = "Marie"
	removed := newUser("u4", "Ann", "Lee")
	removed.MiddleName = "Marie"
	seedMember(t, s, "a", twin, team.RoleMember, team.MemberPending)
	seedMember(t, s, "a", unnamed, team.RoleMember, team.MemberActive)
	seedMember(t, s, "a", named, team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", removed, team.RoleMember, team.MemberRemoved)
	seedMember(t, s, "b", newUser("u5", "Ann", "Lee"), team.RoleMember, team.MemberActive)
	// Team b knows u6 as Ann Marie Lee, team a as Bea Bo: a finds them by a's names.
	elsewhere := newUser("u6", "Ann", "Lee")
	elsewhere.MiddleName = "Marie"
	seedMember(t, s, "b", elsewhere, team.RoleMember, team.MemberActive)
	elsewhere.FirstName, elsewhere.MiddleName, elsewhere.LastName = "Bea", "", "Bo"
	seedMember(t, s, "a", elsewhere, team.RoleMember, team.MemberActive)

	for _, c := range []struct {
		name  string
		c     team.Criteria
		limit int
		want  []string
	}{
		{"email", team.Criteria{Email: named.Email.Normalized}, 10, []string{"u1"}},
		{"mobile", team.Criteria{Mobile: unnamed.Mobile.E164()}, 10, []string{"u2"}},
		{"user name", team.Criteria{Name: "annlee"}, 10, []string{"u1"}},
		{"full name", team.Criteria{Name: "Ann Marie Lee"}, 10, []string{"u2", "u3"}},
		{"full name of a user with a user name", team.Criteria{Name: "Ann Lee"}, 10, []string{}},
		{"full name this team records", team.Criteria{Name: "Bea Bo"}, 10, []string{"u6"}},
		{"full name, limited", team.Criteria{Name: "Ann Marie Lee"}, 1, []string{"u2"}},
		{"name and domain", team.Criteria{Name: "annlee", Domain: "a.example.com"}, 10, []string{"u1"}},
		{"name and another domain", team.Criteria{Name: "annlee", Domain: "b.example.com"}, 10, []string{}},
		{"email and mobile", team.Criteria{Email: unnamed.Email.Normalized, Mobile: unnamed.Mobile.E164()}, 10, []string{"u2"}},
		{"email and another's mobile", team.Criteria{Email: unnamed.Email.Normalized, Mobile: named.Mobile.E164()}, 10, []string{}},
		{"email and name", team.Criteria{Email: twin.Email.Normalized, Name: "Ann Marie Lee"}, 10, []string{"u3"}},
		{"removed member", team.Criteria{Email: removed.Email.Normalized}, 10, []string{}},
		{"member of another team", team.Criteria{Email: email("u5").Normalized}, 10, []string{}},
	} {
		got := read(t, s, func(tx storage.Tx) ([]team.Member, error) { return tx.FindMembers(t.Context(), "a", c.c, c.limit) })
		same(t, "FindMembers by "+c.name, userIDs(got), c.want)
	}
	fails(t, s, errs.Invalid, "", func(tx storage.Tx) error {
		_, err := tx.FindMembers(t.Context(), "a", team.Criteria{Domain: "a.example.com"}, 10)
		return err
	})
	got := read(t, s, func(tx storage.Tx) ([]team.Member, error) {
		return tx.FindMembers(t.Context(), "a", team.Criteria{Mobile: named.Mobile.E164()}, 10)
	})
	same(t, "found member", got, []team.Member{named.memberOf("a", team.RoleAdmin, team.MemberActive)})
}

// testTeamScoping checks that a member of team a is out of reach through
// team b in every team-scoped method.
func testTeamScoping(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	seedMember(t, s, "a", newUser("u1", "Ann", "Lee"), team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", newUser("u2", "Bob", "Lee"), team.RoleMember, team.MemberActive)
	seedMember(t, s, "b", newUser("u3", "Cy", "Lee"), team.RoleMember, team.MemberActive)
	code, session := []byte("code-a"), []byte("session-a")
	write(t, s, func(tx storage.Tx) error {
		return firstError(
			tx.InsertProject(t.Context(), team.Project{ID: "pa", TeamID: "a", Name: "A", CreatedAt: at(0)}),
			tx.AddOwner(t.Context(), "a", "u2", "u1", at(0)),
			tx.InsertCode(t.Context(), user.Code{Hash: code, Kind: user.CodeInvitation, UserID: "u1", TeamID: "a", CreatedAt: at(0), ExpiresAt: at(30)}),
			tx.InsertSession(t.Context(), user.Session{Hash: session, ID: "sa", UserID: "u1", TeamID: "a", CreatedAt: at(0), LastSeenAt: at(0), IdleLimit: time.Hour}),
		)
	})

	for name, fn := range map[string]func(tx storage.Tx) error{
		"Membership": func(tx storage.Tx) error { _, err := tx.Membership(t.Context(), "b", "u1"); return err },
		"Member":     func(tx storage.Tx) error { _, err := tx.Member(t.Context(), "b", "u1"); return err },
		"UpdateMembership": func(tx storage.Tx) error {
			return tx.UpdateMembership(t.Context(), membership("b", "u1", team.RoleMember, 1, at(1)))
		},
		"AddOwner": func(tx storage.Tx) error { return tx.AddOwner(t.Context(), "b", "u2", "u1", at(1)) },
		"AddOwner across teams": func(tx storage.Tx) error {
			return tx.AddOwner(t.Context(), "a", "u2", "u3", at(1))
		},
		"Project":                 func(tx storage.Tx) error { _, err := tx.Project(t.Context(), "b", "pa"); return err },
		"AddProjectMember":        func(tx storage.Tx) error { return tx.AddProjectMember(t.Context(), "b", "pa", "u3", 1, at(1)) },
		"AddProjectMember of b's": func(tx storage.Tx) error { return tx.AddProjectMember(t.Context(), "a", "pa", "u3", 1, at(1)) },
		"ProjectMembers":          func(tx storage.Tx) error { _, err := tx.ProjectMembers(t.Context(), "b", "pa"); return err },
	} {
		t.Run(name, func(t *testing.T) { fails(t, s, errs.NotFound, "", fn) })
	}

	members := read(t, s, func(tx storage.Tx) ([]team.Member, error) {
		return tx.FindMembers(t.Context(), "b", team.Criteria{Email: email("u1").Normalized}, 10)
	})
	same(t, "FindMembers through b", userIDs(members), []string{})
	listed := read(t, s, func(tx storage.Tx) ([]team.Member, error) {
		ms, n, err := tx.ListMembers(t.Context(), "b", team.ListQuery{Search: "ann", Sort: team.SortFirstNameAsc, Size: 10})
		if n != 0 {
			t.Errorf("ListMembers through b counted %d", n)
		}
		return ms, err
	})
	same(t, "ListMembers through b", userIDs(listed), []string{})
	owners := read(t, s, func(tx storage.Tx) ([]string, error) { return tx.Owners(t.Context(), "b", "u2") })
	same(t, "Owners through b", owners, []string{})

	write(t, s, func(tx storage.Tx) error {
		return firstError(
			tx.RemoveOwner(t.Context(), "b", "u2", "u1"),
			tx.DeleteCodes(t.Context(), "b", "u1", user.CodeInvitation),
			tx.DeleteSessions(t.Context(), storage.SessionFilter{UserID: "u1", TeamID: "b"}),
		)
	})
	owners = read(t, s, func(tx storage.Tx) ([]string, error) { return tx.Owners(t.Context(), "a", "u2") })
	same(t, "Owners after RemoveOwner through b", owners, []string{"u1"})
	read(t, s, func(tx storage.Tx) (user.Code, error) { return tx.Code(t.Context(), code) })
	read(t, s, func(tx storage.Tx) (user.Session, error) { return tx.Session(t.Context(), session) })
}

// userIDs returns the IDs of members in order.
func userIDs(ms []team.Member) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.User.ID
	}
	return ids
}

// firstError returns the first non-nil error.
func firstError(errors ...error) error {
	for _, err := range errors {
		if err != nil {
			return err
		}
	}
	return nil
}

// testReadsKeepTheirValues checks that a member read stays as it was read
// while later reads of the same queries return other members, and that a
// member with few fields set shows nothing of one read before: the store
// scans rows into buffers it uses again.
func testReadsKeepTheirValues(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	u1, u2 := fullUser("u1", 1), fullUser("u2", 2)
	u2.FirstName, u2.City, u2.LastLoginAt = "Gustave", "Rouen", at(9)
	u2.PasswordHash = []byte("$2a$10$abcdefghijklmnopqrstuvVWXYZ0123456789abcdefghijklmnopq")
	u2.Extension = map[string]any{"s": "y", "other": []any{"z"}}
	seedMember(t, s, "a", u1, team.RoleMember, team.MemberActive)
	seedMember(t, s, "a", u2, team.RoleAdmin, team.MemberActive)
	sparse := newUser("u3", "Ann", "Lee")
	sparse.Mobile = mobile(3)
	seedMember(t, s, "a", sparse, team.RoleMember, team.MemberActive)
	want := func(u person, role team.Role) team.Member { return u.memberOf("a", role, team.MemberActive) }
	byID := func(id string) team.Member {
		return read(t, s, func(tx storage.Tx) (team.Member, error) { return tx.Member(t.Context(), "a", id) })
	}
	byMobile := func(u person) []team.Member {
		return read(t, s, func(tx storage.Tx) ([]team.Member, error) {
			return tx.FindMembers(t.Context(), "a", team.Criteria{Mobile: u.Mobile.E164()}, 1)
		})
	}
	first, found := byID("u1"), byMobile(u1)
	byID("u2")
	byMobile(u2)
	same(t, "member u1, read before u2", first, want(u1, team.RoleMember))
	same(t, "member u1, found before u2", found, []team.Member{want(u1, team.RoleMember)})
	same(t, "member u3, read after u1", byID("u3"), want(sparse, team.RoleMember))
	same(t, "member u3, found after u1", byMobile(sparse), []team.Member{want(sparse, team.RoleMember)})
}
