package identity_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// parallel runs fn(i) for i in [0, n) at once and returns their errors.
func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	return errs
}

func TestConcurrentCreateOrGetGivesOneUser(t *testing.T) {
	contacts := map[string]identity.NewContact{
		"mobile": {AreaCode: "86", Mobile: "13888888888"},
		"email":  {Email: "Same@Example.com"},
	}
	for name, in := range contacts {
		t.Run(name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, f *fixture) {
				c := f.client(f.operatorTeam("Corp").ID, "all")
				const n = 100
				results := make([]identity.Created, n)
				for _, err := range parallel(n, func(i int) (err error) {
					results[i], err = f.svc.CreateOrGetUser(f.ctx, c, in)
					return err
				}) {
					must(t, err)
				}
				created := 0
				for _, r := range results {
					if r.UserID != results[0].UserID {
						t.Fatalf("two users for one contact: %s and %s", r.UserID, results[0].UserID)
					}
					if !r.Existed {
						created++
					}
				}
				if created != 1 {
					t.Fatalf("%d calls report creating the user", created)
				}
			})
		})
	}
}

func TestConcurrentOwnerChangesMatchASerialReplay(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		c := f.client(f.operatorTeam("Corp").ID, "all")
		user := mustCreate(t, f, c, "u@x.com")
		const n = 12
		owners := make([]string, n)
		for i := range owners {
			owners[i] = mustCreate(t, f, c, fmt.Sprintf("o%d@x.com", i))
		}
		// Each goroutine owns one owner and runs its own sequence of changes;
		// the sequences interleave, so the replay of each alone is the answer.
		sequence := func(i int) []bool { return []bool{true, i%2 == 0, true, i%3 != 0} }
		for _, err := range parallel(n, func(i int) error {
			for _, add := range sequence(i) {
				if _, err := f.svc.SetOwner(f.ctx, c, user, owners[i], add); err != nil {
					return err
				}
			}
			return nil
		}) {
			must(t, err)
		}
		var want []string
		for i, o := range owners {
			if s := sequence(i); s[len(s)-1] {
				want = append(want, o)
			}
		}
		got, err := f.svc.SetOwner(f.ctx, c, user, owners[1], true) // adding a present owner changes nothing
		must(t, err)
		want = append(want, owners[1])
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, slices.Compact(want)) {
			t.Fatalf("owners %v, want %v", got, want)
		}
	})
}

func mustCreate(t *testing.T, f *fixture, c identity.Client, email string) string {
	t.Helper()
	r, err := f.svc.CreateOrGetUser(f.ctx, c, identity.NewContact{Email: email})
	must(t, err)
	return r.UserID
}

func TestAdminsDemotingEachOtherKeepAnAdmin(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		for round := range 5 {
			tm, a := f.activeTeam(fmt.Sprintf("a%d@x.com", round))
			b := f.member(a, fmt.Sprintf("b%d@x.com", round), team.RoleManager)
			promote := int(team.RoleAdmin)
			_, err := f.svc.UpdateMember(f.ctx, a, identity.MemberUpdate{UserID: b.UserID, Role: &promote})
			must(t, err)
			b.Role = team.RoleAdmin
			demote := int(team.RoleMember)
			actors := [2]identity.Actor{a, b}
			errs := parallel(2, func(i int) error {
				_, err := f.svc.UpdateMember(f.ctx, actors[i], identity.MemberUpdate{UserID: actors[1-i].UserID, Role: &demote})
				return err
			})
			if errs[0] == nil && errs[1] == nil {
				t.Fatal("both demotions succeeded")
			}
			info, err := f.svc.Team(f.ctx, a, tm.ID)
			must(t, err)
			admins := 0
			ms, _, err := f.svc.ListMembers(f.ctx, a, identity.DefaultListQuery())
			must(t, err)
			for _, m := range ms {
				if m.Membership.Role == team.RoleAdmin {
					admins++
				}
			}
			if admins != 1 || info.Stats.Members != 2 {
				t.Fatalf("round %d: %d admins after a mutual demotion", round, admins)
			}
		}
	})
}

func TestConcurrentOverlappingImports(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		file := func(from, to int) string {
			return csvFile(to-from, func(i int) string { return fmt.Sprintf("u%03d@x.com,F,L,3,", from+i) })
		}
		files := []string{file(0, 60), file(30, 90)}
		errs := parallel(2, func(i int) error {
			_, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(files[i]))
			return err
		})
		ok := 0
		for _, err := range errs {
			var ie *identity.ImportError
			switch {
			case err == nil:
				ok++
			case !errors.As(err, &ie) || len(ie.Rows) != 30:
				t.Fatalf("the losing import: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d imports succeeded, want exactly 1: %v", ok, errs)
		}
		q := identity.DefaultListQuery()
		q.Size = 1000
		ms, total, err := f.svc.ListMembers(f.ctx, admin, q)
		must(t, err)
		seen := map[string]bool{}
		for _, m := range ms {
			if seen[m.User.Email.Normalized] {
				t.Fatalf("duplicate user %s", m.User.Email.Normalized)
			}
			seen[m.User.Email.Normalized] = true
		}
		if total != 61 {
			t.Fatalf("%d members, want the admin and one whole file of 60", total)
		}
	})
}

func TestConcurrentLoginsOfOneUser(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("busy@x.com")
		for _, err := range parallel(8, func(int) error {
			_, err := f.svc.Login(f.ctx, identity.Login{Email: "busy@x.com", Password: password, TeamID: tm.ID})
			return err
		}) {
			must(t, err)
		}
	})
}
