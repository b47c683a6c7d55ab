package storagetest

// The cases of storage.Store: transactions, Query and NotFound across every interface.

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

// testNotFound checks that every read by a key that names nothing is
// NotFound: a missing key, and one that no column can hold (a NUL byte, not
// UTF-8), which Postgres would refuse to compare. A write of such text is
// invalid, naming the column.
func testNotFound(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	for _, x := range []string{"x", "x\x00", "\xffx"} {
		for name, fn := range notFound(t, x) {
			if x != "x" && strings.HasPrefix(name, "Update") {
				continue // writes the key, which is invalid
			}
			t.Run(fmt.Sprintf("%s(%q)", name, x), func(t *testing.T) { fails(t, s, errs.NotFound, "", fn) })
		}
	}
	bad := newTeam("b")
	bad.Name = "\xff"
	fails(t, s, errs.Invalid, "name", func(tx storage.Tx) error { return tx.InsertTeam(t.Context(), bad) })
	bad.ID, bad.Name = "b\x00", "b"
	fails(t, s, errs.Invalid, "id", func(tx storage.Tx) error { return tx.InsertTeam(t.Context(), bad) })
}

// notFound returns the reads and updates of the row of key x, by name.
func notFound(t *testing.T, x string) map[string]func(tx storage.Tx) error {
	hash := []byte("missing")
	ignore := func(_ any, err error) error { return err }
	return map[string]func(tx storage.Tx) error{
		"LockTeam":            func(tx storage.Tx) error { return tx.LockTeam(t.Context(), x) },
		"Team":                func(tx storage.Tx) error { return ignore(tx.Team(t.Context(), x)) },
		"UpdateTeam":          func(tx storage.Tx) error { return tx.UpdateTeam(t.Context(), newTeam(x)) },
		"TeamStats":           func(tx storage.Tx) error { return ignore(tx.TeamStats(t.Context(), x)) },
		"TeamRegion":          func(tx storage.Tx) error { return ignore(tx.TeamRegion(t.Context(), x)) },
		"User":                func(tx storage.Tx) error { return ignore(tx.User(t.Context(), x)) },
		"UserByEmail":         func(tx storage.Tx) error { return ignore(tx.UserByEmail(t.Context(), x+"@example.com")) },
		"UserByMobile":        func(tx storage.Tx) error { return ignore(tx.UserByMobile(t.Context(), mobile(1).E164())) },
		"UpdateUser":          func(tx storage.Tx) error { return tx.UpdateUser(t.Context(), newUser(x, "X", "X").User) },
		"Membership":          func(tx storage.Tx) error { return ignore(tx.Membership(t.Context(), "a", x)) },
		"UpdateMembership":    func(tx storage.Tx) error { return tx.UpdateMembership(t.Context(), membership("a", x, 1, 1, at(0))) },
		"Member":              func(tx storage.Tx) error { return ignore(tx.Member(t.Context(), "a", x)) },
		"Code":                func(tx storage.Tx) error { return ignore(tx.Code(t.Context(), hash)) },
		"Session":             func(tx storage.Tx) error { return ignore(tx.Session(t.Context(), hash)) },
		"TouchSession":        func(tx storage.Tx) error { return tx.TouchSession(t.Context(), hash, at(1)) },
		"Application":         func(tx storage.Tx) error { return ignore(tx.Application(t.Context(), x)) },
		"Token":               func(tx storage.Tx) error { return ignore(tx.Token(t.Context(), hash)) },
		"Project":             func(tx storage.Tx) error { return ignore(tx.Project(t.Context(), "a", x)) },
		"ProjectByID":         func(tx storage.Tx) error { return ignore(tx.ProjectByID(t.Context(), x)) },
		"ProjectMembers":      func(tx storage.Tx) error { return ignore(tx.ProjectMembers(t.Context(), "a", x)) },
		"ProjectMemberIDs":    func(tx storage.Tx) error { return ignore(tx.ProjectMemberIDs(t.Context(), "a", x)) },
		"RemoveProjectMember": func(tx storage.Tx) error { return tx.RemoveProjectMember(t.Context(), "a", x, "u") },
		"UpdateProject": func(tx storage.Tx) error {
			return tx.UpdateProject(t.Context(), team.Project{ID: x, TeamID: "a", Name: "X", UpdatedAt: at(1)})
		},
		"DeleteProject": func(tx storage.Tx) error { return tx.DeleteProject(t.Context(), "a", x) },
	}
}

func testWriteRollsBack(t *testing.T, s storage.Store) {
	stop := errors.New("stop")
	err := s.Write(t.Context(), func(tx storage.Tx) error {
		if err := firstError(
			tx.InsertTeam(t.Context(), newTeam("a")),
			tx.InsertUser(t.Context(), newUser("u1", "Ann", "Lee").User),
			tx.InsertMembership(t.Context(), membership("a", "u1", team.RoleAdmin, team.MemberActive, at(0))),
		); err != nil {
			return err
		}
		return stop
	})
	if err != stop {
		t.Fatalf("Write returned %v, want fn's error unchanged", err)
	}
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { _, err := tx.Team(t.Context(), "a"); return err })
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { _, err := tx.User(t.Context(), "u1"); return err })
	if err := s.Read(t.Context(), func(storage.Tx) error { return stop }); err != stop {
		t.Errorf("Read returned %v, want fn's error unchanged", err)
	}
}

// testConcurrentInsertIfAbsent races writers that each add a user with the
// same mobile unless it exists, then read it back: exactly one adds it, and
// all see the same user.
func testConcurrentInsertIfAbsent(t *testing.T, s storage.Store) {
	const writers = 50
	var (
		wg     sync.WaitGroup
		ids    [writers]string
		added  [writers]bool
		failed [writers]error
	)
	for i := range writers {
		wg.Go(func() {
			u := newUser(fmt.Sprintf("u%02d", i), "Ann", "Lee").User
			u.Mobile = mobile(7)
			failed[i] = s.Write(t.Context(), func(tx storage.Tx) (err error) {
				if added[i], err = tx.InsertUserIfAbsent(t.Context(), u); err != nil {
					return err
				}
				got, err := tx.UserByMobile(t.Context(), u.Mobile.E164())
				ids[i] = got.ID
				return err
			})
		})
	}
	wg.Wait()
	adders := 0
	for i := range writers {
		if failed[i] != nil {
			t.Fatalf("writer %d: %v", i, failed[i])
		}
		if added[i] {
			adders++
		}
		if ids[i] != ids[0] {
			t.Errorf("writer %d saw user %s, writer 0 saw %s", i, ids[i], ids[0])
		}
	}
	if adders != 1 {
		t.Errorf("%d writers added the user, want 1", adders)
	}
}

// testWriteLosesNoUpdate runs two read-modify-write cycles on one user and
// one membership at once, each changing a different field of both: every
// change must survive, whichever order the database puts them in.
func testWriteLosesNoUpdate(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	seedMember(t, s, "a", newUser("u", "Ann", "Lee"), team.RoleMember, team.MemberActive)
	edits := []func(*team.Member){
		func(m *team.Member) { m.User.UserName, m.Membership.FirstName = "first", "First" },
		func(m *team.Member) { m.User.Settings.Lang, m.Membership.LastName = "ja", "Last" },
	}
	writeInTurns(t, s, func(tx storage.Tx, i int, read func()) error {
		m, err := tx.Member(t.Context(), "a", "u")
		if err != nil {
			return err
		}
		read()
		edits[i](&m)
		if err := tx.UpdateUser(t.Context(), m.User); err != nil {
			return err
		}
		return tx.UpdateMembership(t.Context(), m.Membership)
	})
	got := read(t, s, func(tx storage.Tx) (team.Member, error) { return tx.Member(t.Context(), "a", "u") })
	if got.User.UserName != "first" || got.User.Settings.Lang != "ja" || got.Membership.FirstName != "First" || got.Membership.LastName != "Last" {
		t.Fatalf("user %q %q, names %q %q: a concurrent update was lost", got.User.UserName, got.User.Settings.Lang, got.Membership.FirstName, got.Membership.LastName)
	}
}

// writeInTurns runs cycle 0 and cycle 1 in two Writes at once: the second
// starts once the first has called read, which then waits for the second
// to try to read the same rows. Both must succeed.
func writeInTurns(t *testing.T, s storage.Store, cycle func(tx storage.Tx, i int, read func()) error) {
	t.Helper()
	firstRead := make(chan struct{})
	firstReadDone := sync.OnceFunc(func() { close(firstRead) }) // also if the first writer fails, so the second never waits forever
	errc := make(chan error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			read := func() {}
			if i == 0 {
				defer firstReadDone()
				read = func() {
					firstReadDone()
					time.Sleep(50 * time.Millisecond) // let the second writer try to read
				}
			} else {
				<-firstRead // start after the first writer has read the rows
			}
			errc <- s.Write(t.Context(), func(tx storage.Tx) error { return cycle(tx, i, read) })
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
}

// testQuery reads through Query, outside any transaction, what Write
// committed, and gets the contract's errors there too.
func testQuery(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	seedMember(t, s, "a", newUser("u", "Ann", "Lee"), team.RoleMember, team.MemberActive)
	var got team.Member
	err := s.Query(t.Context(), func(tx storage.Reads) (err error) {
		got, err = tx.Member(t.Context(), "a", "u")
		return err
	})
	if err != nil || got.Membership.FirstName != "Ann" {
		t.Fatalf("Query: %v, %+v", err, got.Membership.FirstName)
	}
	err = s.Query(t.Context(), func(tx storage.Reads) error {
		_, err := tx.Member(t.Context(), "a", "missing")
		return err
	})
	if errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("Query of a missing member: %v", err)
	}
}
