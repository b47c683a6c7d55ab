package identity_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// recordsNothing are the exported methods of *identity.Service that change
// no state a team would audit, with why.
var recordsNothing = map[string]string{
	"Applications":       "reads",
	"Authenticate":       "reads; records only the session's last use, at most once a minute",
	"AuthenticateToken":  "reads",
	"ClientTeam":         "reads",
	"ContactOf":          "reads",
	"Deliver":            "hands the notifier codes whose use cases recorded them; its writes are the outbox's own",
	"FindByID":           "reads",
	"FindByMobile":       "reads",
	"FindUsers":          "reads",
	"Follow":             "reads the events",
	"IntrospectToken":    "reads",
	"ListEvents":         "reads the events",
	"ListMembers":        "reads",
	"OutboxLag":          "reads the outbox",
	"Member":             "reads",
	"Profile":            "reads",
	"ProjectMembers":     "reads",
	"ProvisionedMember":  "reads",
	"ProvisionedMembers": "reads",
	"Group":              "reads",
	"Groups":             "reads",
	"PruneEvents":        "deletes expired events; recording that would keep the trail from emptying",
	"Sessions":           "reads",
	"Store":              "returns the store",
	"Team":               "reads",
	"TeamsForEmail":      "reads",
}

// eventsEnv is what the cases of the enumeration test act on: a team with
// its admin logged in and an application of it with every permission.
type eventsEnv struct {
	f     *fixture
	team  team.Team
	admin identity.Actor
	app   identity.Client
	n     int // for fresh names
}

// fresh returns a new email address.
func (e *eventsEnv) fresh() string { e.n++; return fmt.Sprintf("u%d@events.example", e.n) }

// newApp returns a new application of the team.
func (e *eventsEnv) newApp() identity.NewApplication {
	app, err := e.f.svc.CreateApplication(e.f.ctx, e.team.ID, "app", team.Permissions{team.PermAll})
	must(e.f.t, err)
	return app
}

// contact returns the ID of a new user the application created.
func (e *eventsEnv) contact() string {
	c, err := e.f.svc.CreateOrGetUser(e.f.ctx, e.app, identity.NewContact{Email: e.fresh()})
	must(e.f.t, err)
	return c.UserID
}

// eventCase is a call that performs a use case, after its setup, and the
// actions it must record.
type eventCase struct {
	method string
	want   []string
	run    func(e *eventsEnv) func() error // sets up, and returns the call
}

var eventCases = []eventCase{
	{"AuthenticateClient", []string{audit.TokenFailed}, func(e *eventsEnv) func() error {
		return func() error {
			_, err := e.f.svc.AuthenticateClient(e.f.ctx, e.app.ClientID, "wrong", "192.0.2.7")
			return ignore(err)
		}
	}},
	{"RevokeToken", []string{audit.TokenRevoked}, func(e *eventsEnv) func() error {
		app := e.newApp()
		tok, err := e.f.svc.IssueToken(e.f.ctx, app.Application.ClientID, app.Secret, "")
		must(e.f.t, err)
		return func() error { return e.f.svc.RevokeToken(e.f.ctx, tok.Client, tok.Token) }
	}},
	{"RotateSecret", []string{audit.SecretRotated}, func(e *eventsEnv) func() error {
		app := e.newApp()
		return func() error { _, err := e.f.svc.RotateSecret(e.f.ctx, app.Application.ClientID); return err }
	}},
	{"DisableApplication", []string{audit.ApplicationDisabled}, func(e *eventsEnv) func() error {
		app := e.newApp()
		return func() error { _, err := e.f.svc.DisableApplication(e.f.ctx, app.Application.ClientID); return err }
	}},
	{"EnableApplication", []string{audit.ApplicationEnabled}, func(e *eventsEnv) func() error {
		app := e.newApp()
		return func() error { _, err := e.f.svc.EnableApplication(e.f.ctx, app.Application.ClientID); return err }
	}},
	{"SetApplicationPermissions", []string{audit.PermissionsChanged}, func(e *eventsEnv) func() error {
		app := e.newApp()
		return func() error {
			_, err := e.f.svc.SetApplicationPermissions(e.f.ctx, app.Application.ClientID, team.Permissions{team.PermRead})
			return err
		}
	}},
	{"CreateOrGetUser", []string{audit.MemberCreated}, func(e *eventsEnv) func() error {
		return func() error { e.contact(); return nil }
	}},
	{"SetOwner", []string{audit.OwnerChanged}, func(e *eventsEnv) func() error {
		u, o := e.contact(), e.contact()
		return func() error { _, err := e.f.svc.SetOwner(e.f.ctx, e.app, u, o, true); return err }
	}},
	{"SetPool", []string{audit.PoolChanged}, func(e *eventsEnv) func() error {
		u := e.contact()
		return func() error { return e.f.svc.SetPool(e.f.ctx, e.app, u, "dead") }
	}},
	{"UpdateEmail", []string{audit.EmailChanged}, func(e *eventsEnv) func() error {
		u := e.contact()
		return func() error { return e.f.svc.UpdateEmail(e.f.ctx, e.app, u, e.fresh()) }
	}},
	{"ImportCSV", []string{audit.MemberCreated, audit.MemberCreated}, func(e *eventsEnv) func() error {
		file := csvFile(2, func(int) string { return e.fresh() + ",F,L,3," })
		return func() error { _, err := e.f.svc.ImportCSV(e.f.ctx, e.admin, strings.NewReader(file)); return err }
	}},
	{"CreateMember", []string{audit.MemberCreated}, func(e *eventsEnv) func() error {
		return func() error {
			_, err := e.f.svc.CreateMember(e.f.ctx, e.admin, newMember(e.fresh(), team.RoleMember))
			return err
		}
	}},
	{"UpdateMember", []string{audit.MemberRoleChanged, audit.MemberUpdated}, func(e *eventsEnv) func() error {
		m := e.f.create(e.admin, e.fresh(), team.RoleMember)
		role := int(team.RoleManager)
		return func() error {
			_, err := e.f.svc.UpdateMember(e.f.ctx, e.admin, identity.MemberUpdate{UserID: m.User.ID, Role: &role, Names: &user.Names{First: "A", Last: "B"}})
			return err
		}
	}},
	{"RemoveMember", []string{audit.MemberRemoved}, func(e *eventsEnv) func() error {
		m := e.f.create(e.admin, e.fresh(), team.RoleMember)
		return func() error { return e.f.svc.RemoveMember(e.f.ctx, e.admin, m.User.ID) }
	}},
	{"ChangePassword", []string{audit.PasswordChanged}, func(e *eventsEnv) func() error {
		a := e.f.member(e.admin, e.fresh(), team.RoleMember)
		return func() error { _, err := e.f.svc.ChangePassword(e.f.ctx, a, password, "another password 1"); return err }
	}},
	{"ChangeEmail", []string{audit.EmailChangeRequested}, func(e *eventsEnv) func() error {
		a := e.f.member(e.admin, e.fresh(), team.RoleMember)
		return func() error { _, err := e.f.svc.ChangeEmail(e.f.ctx, a, e.fresh()); return err }
	}},
	{"RequestPasswordReset", []string{audit.PasswordResetRequest}, func(e *eventsEnv) func() error {
		email := e.fresh()
		e.f.create(e.admin, email, team.RoleMember)
		return func() error { return e.f.svc.RequestPasswordReset(e.f.ctx, email, "192.0.2.8") }
	}},
	{"ResetPassword", []string{audit.PasswordReset}, func(e *eventsEnv) func() error {
		email := e.fresh()
		e.f.create(e.admin, email, team.RoleMember)
		must(e.f.t, e.f.svc.RequestPasswordReset(e.f.ctx, email, ""))
		code := e.f.box.Last(e.f.t, email).Code
		return func() error { return e.f.svc.ResetPassword(e.f.ctx, code, "a new password 1") }
	}},
	{"Login", []string{audit.SessionCreated}, func(e *eventsEnv) func() error {
		email := e.fresh()
		e.f.create(e.admin, email, team.RoleMember)
		return func() error {
			_, err := e.f.svc.Login(e.f.ctx, identity.Login{Email: email, Password: password, TeamID: e.team.ID, IP: "192.0.2.9"})
			return err
		}
	}},
	{"Login", []string{audit.LoginFailed}, func(e *eventsEnv) func() error {
		email := e.fresh()
		e.f.create(e.admin, email, team.RoleMember)
		return func() error {
			_, err := e.f.svc.Login(e.f.ctx, identity.Login{Email: email, Password: "wrong password", TeamID: e.team.ID, IP: "192.0.2.9"})
			return ignore(err)
		}
	}},
	{"Logout", []string{audit.SessionRevoked}, func(e *eventsEnv) func() error {
		_, token := e.f.loginToken(e.f.create(e.admin, e.fresh(), team.RoleMember).User.Email.Display, password, e.team.ID)
		return func() error { return e.f.svc.Logout(e.f.ctx, token) }
	}},
	{"RevokeSessions", []string{audit.SessionRevoked}, func(e *eventsEnv) func() error {
		m := e.f.create(e.admin, e.fresh(), team.RoleMember)
		e.f.login(m.User.Email.Display, password, e.team.ID)
		return func() error {
			_, err := e.f.svc.RevokeSessions(e.f.ctx, e.admin, identity.Revoke{UserID: m.User.ID, All: true})
			return err
		}
	}},
	{"SignUp", []string{audit.TeamCreated, audit.MemberCreated}, func(e *eventsEnv) func() error {
		return func() error { _, err := e.f.svc.SignUp(e.f.ctx, signUpInput(e.fresh())); return err }
	}},
	{"Activate", []string{audit.TeamActivated, audit.MemberActivated, audit.UserClaimed}, func(e *eventsEnv) func() error {
		email := e.fresh()
		_, err := e.f.svc.SignUp(e.f.ctx, signUpInput(email))
		must(e.f.t, err)
		code := e.f.box.Last(e.f.t, email).Code
		return func() error { return e.f.svc.Activate(e.f.ctx, code, "") }
	}},
	{"ReissueCode", []string{audit.CodeSent}, func(e *eventsEnv) func() error {
		email := e.fresh()
		_, err := e.f.svc.SignUp(e.f.ctx, signUpInput(email))
		must(e.f.t, err)
		code := e.f.box.Last(e.f.t, email).Code
		return func() error { return e.f.svc.ReissueCode(e.f.ctx, code) }
	}},
	{"CreateTeam", []string{audit.TeamCreated}, func(e *eventsEnv) func() error {
		return func() error { e.f.operatorTeam(fmt.Sprint("Corp", e.n)); e.n++; return nil }
	}},
	{"UpdateTeam", []string{audit.TeamUpdated}, func(e *eventsEnv) func() error {
		return func() error {
			_, err := e.f.svc.UpdateTeam(e.f.ctx, e.admin, e.team.ID, team.Profile{Name: "Renamed"})
			return err
		}
	}},
	{"CreateApplication", []string{audit.ApplicationCreated}, func(e *eventsEnv) func() error {
		return func() error { e.newApp(); return nil }
	}},
	{"IssueToken", []string{audit.TokenIssued}, func(e *eventsEnv) func() error {
		app := e.newApp()
		return func() error {
			_, err := e.f.svc.IssueToken(e.f.ctx, app.Application.ClientID, app.Secret, "192.0.2.10")
			return err
		}
	}},
	{"CreateProject", []string{audit.ProjectCreated}, func(e *eventsEnv) func() error {
		return func() error { _, err := e.f.svc.CreateProject(e.f.ctx, e.team.ID, "Project"); return err }
	}},
	{"AddProjectMember", []string{audit.ProjectMemberAdded}, func(e *eventsEnv) func() error {
		p, err := e.f.svc.CreateProject(e.f.ctx, e.team.ID, "Project")
		must(e.f.t, err)
		return func() error { return e.f.svc.AddProjectMember(e.f.ctx, p.ID, e.admin.UserID, 2) }
	}},
	{"ProvisionMember", []string{audit.MemberCreated}, func(e *eventsEnv) func() error {
		return func() error { _, err := e.provision(); return err }
	}},
	{"ReplaceProvisioned", []string{audit.MemberSuspended, audit.MemberUpdated}, func(e *eventsEnv) func() error {
		m, err := e.provision()
		must(e.f.t, err)
		return func() error {
			_, err := e.f.svc.ReplaceProvisioned(e.f.ctx, e.app, m.User.ID, m.Version, identity.Provision{Email: m.User.Email.Display, GivenName: "New"})
			return err
		}
	}},
	{"DeprovisionMember", []string{audit.MemberRemoved}, func(e *eventsEnv) func() error {
		m, err := e.provision()
		must(e.f.t, err)
		return func() error { return e.f.svc.DeprovisionMember(e.f.ctx, e.app, m.User.ID, "") }
	}},
	{"CreateGroup", []string{audit.ProjectCreated, audit.ProjectMemberAdded}, func(e *eventsEnv) func() error {
		return func() error {
			_, err := e.f.svc.CreateGroup(e.f.ctx, e.app, "Group", "", []string{e.admin.UserID})
			return err
		}
	}},
	{"ChangeGroup", []string{audit.ProjectMemberRemoved, audit.ProjectUpdated}, func(e *eventsEnv) func() error {
		g, err := e.f.svc.CreateGroup(e.f.ctx, e.app, "Group", "", []string{e.admin.UserID})
		must(e.f.t, err)
		name := "Renamed"
		return func() error {
			_, err := e.f.svc.ChangeGroup(e.f.ctx, e.app, g.ID, "", identity.GroupChange{Name: &name, Remove: []string{e.admin.UserID}})
			return err
		}
	}},
	{"DeleteGroup", []string{audit.ProjectDeleted}, func(e *eventsEnv) func() error {
		g, err := e.f.svc.CreateGroup(e.f.ctx, e.app, "Group", "", nil)
		must(e.f.t, err)
		return func() error { return e.f.svc.DeleteGroup(e.f.ctx, e.app, g.ID, g.Version) }
	}},
}

// provision provisions a member with a fresh address.
func (e *eventsEnv) provision() (identity.Provisioned, error) {
	return e.f.svc.ProvisionMember(e.f.ctx, e.app, identity.Provision{Email: e.fresh(), Active: true, GivenName: "Pat"})
}

// ignore drops the refusal a failing call is expected to get.
func ignore(error) error { return nil }

// eventsAfter returns every event with an ID larger than after.
func eventsAfter(t *testing.T, s storage.Store, after int64) []audit.Event {
	t.Helper()
	var events []audit.Event
	must(t, s.Query(t.Context(), func(r storage.Reads) (err error) {
		events, err = r.EventsAfter(t.Context(), after, 10_000)
		return err
	}))
	return events
}

// lastEvent returns the ID of the latest event, 0 if none.
func lastEvent(t *testing.T, s storage.Store) int64 {
	events := eventsAfter(t, s, 0)
	if len(events) == 0 {
		return 0
	}
	return events[len(events)-1].ID
}

// TestEveryUseCaseRecordsItsEvents enumerates the exported methods of
// *identity.Service: each records nothing (recordsNothing) or has a case in
// eventCases whose call must record the case's actions, and nothing with a
// value in it.
func TestEveryUseCaseRecordsItsEvents(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range eventCases {
		covered[c.method] = true
	}
	typ := reflect.TypeFor[*identity.Service]()
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		_, quiet := recordsNothing[name]
		if !quiet && !covered[name] {
			t.Errorf("%s is neither in recordsNothing nor in eventCases: say which event it records", name)
		}
		if quiet && covered[name] {
			t.Errorf("%s is both in recordsNothing and in eventCases", name)
		}
	}
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@events.example")
		e := &eventsEnv{f: f, team: tm, admin: admin, app: f.client(tm.ID, "all")}
		for _, c := range eventCases {
			call := c.run(e)
			mark := lastEvent(t, f.svc.Store())
			if err := call(); err != nil {
				t.Fatalf("%s: %v", c.method, err)
			}
			events := eventsAfter(t, f.svc.Store(), mark)
			var got []string
			for _, ev := range events {
				got = append(got, ev.Action)
				checkEvent(t, c.method, ev)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s recorded %v, want %v", c.method, got, c.want)
			}
		}
	})
}

// checkEvent fails t if ev is not valid or holds a value: an address,
// a password.
func checkEvent(t *testing.T, method string, ev audit.Event) {
	t.Helper()
	if err := ev.Validate(); err != nil {
		t.Errorf("%s: %v", method, err)
	}
	if text := fmt.Sprintf("%+v", ev); strings.Contains(text, "@") || strings.Contains(text, "password1") || strings.Contains(text, password) {
		t.Errorf("%s recorded a value: %s", method, text)
	}
	if ev.At.IsZero() || ev.Actor.Kind == "" {
		t.Errorf("%s recorded an event without a time or an actor: %+v", method, ev)
	}
}

// TestEventsOfATeamInCommitOrder creates members of one team concurrently
// while a follower reads the events after its cursor: since IDs follow
// commit order, the follower misses none of them.
func TestEventsOfATeamInCommitOrder(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("admin@order.example")
		c := f.client(tm.ID, "all")
		mark := lastEvent(t, f.svc.Store())
		const writers, each = 8, 10
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					_, err := f.svc.CreateOrGetUser(f.ctx, c, identity.NewContact{Email: fmt.Sprintf("w%d.%d@order.example", w, i)})
					if err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		seen := []int64{}
		cursor := mark
		follow := func() {
			for _, ev := range eventsAfter(t, f.svc.Store(), cursor) {
				seen, cursor = append(seen, ev.ID), ev.ID
			}
		}
		for running := true; running; {
			select {
			case <-done:
				running = false
			default:
			}
			follow()
		}
		follow()
		var all []int64
		for _, ev := range eventsAfter(t, f.svc.Store(), mark) {
			if ev.TeamID != tm.ID || ev.Action != audit.MemberCreated {
				t.Fatalf("unexpected event %+v", ev)
			}
			all = append(all, ev.ID)
		}
		if len(all) != writers*each || !slices.Equal(seen, all) {
			t.Errorf("the follower saw %d of %d events: %v, want %v", len(seen), writers*each, seen, all)
		}
	})
}

func TestListEvents(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@list.example")
		_, other := f.activeTeam("admin@other.example")
		manager := f.member(admin, "manager@list.example", team.RoleManager)
		m := f.create(admin, "m@list.example", team.RoleMember)
		role := int(team.RoleManager)
		_, err := f.svc.UpdateMember(f.ctx, admin, identity.MemberUpdate{UserID: m.User.ID, Role: &role})
		must(t, err)

		list := func(a identity.Actor, fl audit.Filter) []audit.Event {
			t.Helper()
			events, err := f.svc.ListEvents(f.ctx, a, fl)
			must(t, err)
			return events
		}
		all := list(admin, audit.Filter{})
		if len(all) < 4 || all[0].Action != audit.MemberRoleChanged || !slices.IsSortedFunc(all, func(a, b audit.Event) int { return int(b.ID - a.ID) }) {
			t.Fatalf("events newest first: %+v", all)
		}
		for _, ev := range all {
			if ev.TeamID != tm.ID {
				t.Errorf("another team's event: %+v", ev)
			}
			checkEvent(t, "ListEvents", ev)
		}
		byUser := list(admin, audit.Filter{UserID: m.User.ID})
		if len(byUser) != 2 || byUser[0].Action != audit.MemberRoleChanged || byUser[1].Action != audit.MemberCreated {
			t.Errorf("by user: %+v", byUser)
		}
		if got := list(admin, audit.Filter{Action: audit.MemberRoleChanged}); len(got) != 1 || got[0].UserID != m.User.ID {
			t.Errorf("by action: %+v", got)
		}
		first := list(admin, audit.Filter{Limit: 2})
		next := list(admin, audit.Filter{Limit: 2, Before: first[1].ID})
		if !slices.Equal(ids(append(first, next...)), ids(all[:4])) {
			t.Errorf("pages %v and %v, want %v", ids(first), ids(next), ids(all[:4]))
		}
		if got := list(admin, audit.Filter{Since: f.clock.Now().Add(time.Hour)}); len(got) != 0 {
			t.Errorf("since an hour from now: %+v", got)
		}
		if got := list(other, audit.Filter{UserID: m.User.ID}); len(got) != 0 {
			t.Errorf("another team's admin sees %+v", got)
		}
		if got := list(identity.Operator(tm.ID), audit.Filter{Limit: 1}); len(got) != 1 {
			t.Errorf("operator: %+v", got)
		}
		_, err = f.svc.ListEvents(f.ctx, manager, audit.Filter{})
		wantErr(t, err, identity.CodeForbidden, "")
		_, err = f.svc.ListEvents(f.ctx, admin, audit.Filter{Limit: audit.MaxLimit + 1})
		wantErr(t, err, identity.CodeInvalid, "page_size")
		_, err = f.svc.ListEvents(f.ctx, admin, audit.Filter{Action: "member.invented"})
		wantErr(t, err, identity.CodeInvalid, "action")
	})
}

// ids returns the IDs of events.
func ids(events []audit.Event) []int64 {
	out := make([]int64, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

func TestFollow(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@follow.example")
		before := eventsAfter(t, f.svc.Store(), 0)
		ctx, cancel := context.WithCancel(f.ctx)
		defer cancel()
		got := make(chan audit.Event)
		stop := errors.New("stop")
		done := make(chan error, 1)
		go func() {
			done <- f.svc.Follow(ctx, 0, func(e audit.Event) error {
				select {
				case got <- e:
					return nil
				case <-ctx.Done():
					return stop
				}
			})
		}()
		next := func() audit.Event {
			t.Helper()
			select {
			case e := <-got:
				return e
			case <-time.After(time.Minute): // a generous bound, not a timing
				t.Fatal("no event within a minute")
			}
			return audit.Event{}
		}
		for _, want := range before {
			if e := next(); e.ID != want.ID {
				t.Fatalf("got event %d, want %d", e.ID, want.ID)
			}
		}
		m := f.create(admin, "m@follow.example", team.RoleMember) // after Follow caught up: woken by the commit
		if e := next(); e.Action != audit.MemberCreated || e.UserID != m.User.ID {
			t.Fatalf("got %+v, want the member's creation", e)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) && !errors.Is(err, stop) {
			t.Fatalf("Follow returned %v", err)
		}

		// Resuming after the last event accepted delivers the next one only.
		last := before[len(before)-1].ID
		var resumed []int64
		err := f.svc.Follow(f.ctx, last, func(e audit.Event) error {
			resumed = append(resumed, e.ID)
			return stop
		})
		if !errors.Is(err, stop) || len(resumed) != 1 || resumed[0] <= last {
			t.Fatalf("resumed after %d: %v, %v", last, resumed, err)
		}
	})
}

func TestPruneEvents(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@prune.example")
		n, err := f.svc.PruneEvents(f.ctx)
		if err != nil || n != 0 {
			t.Fatalf("without retention: pruned %d, %v", n, err)
		}
		kept := newFixture(t, f.svc.Store(), identity.WithClock(f.clock.Now), identity.WithEventRetention(time.Hour))
		f.clock.Advance(2 * time.Hour)
		f.create(admin, "late@prune.example", team.RoleMember)
		old := len(eventsAfter(t, f.svc.Store(), 0)) - 1
		n, err = kept.svc.PruneEvents(f.ctx)
		if err != nil || n != int64(old) {
			t.Fatalf("pruned %d, %v; want the %d events older than an hour", n, err, old)
		}
		if left := eventsAfter(t, f.svc.Store(), 0); len(left) != 1 || left[0].Action != audit.MemberCreated {
			t.Errorf("left %+v, want the late member's creation", left)
		}
	})
}
