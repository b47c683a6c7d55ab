package identity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// TestSessionMaxAge: a session used every half second still ends at its
// maximum age from creation, the keep-me-login one at its own.
func TestSessionMaxAge(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("age@x.com")
		normal := f.open("age@x.com", tm.ID, false, "")
		keep := f.open("age@x.com", tm.ID, true, "")
		if want := f.clock.Now().Add(10 * time.Second); !normal.ExpiresAt.Equal(want) {
			t.Errorf("ExpiresAt = %v, want %v", normal.ExpiresAt, want)
		}
		for elapsed := 500 * time.Millisecond; elapsed <= 20*time.Second; elapsed += 500 * time.Millisecond {
			f.clock.Advance(500 * time.Millisecond)
			for _, c := range []struct {
				s     identity.Session
				limit time.Duration
			}{{normal, 10 * time.Second}, {keep, 20 * time.Second}} {
				_, err := f.svc.Authenticate(f.ctx, c.s.Token)
				if elapsed < c.limit {
					must(t, err)
				} else {
					wantErr(t, err, identity.CodeUnauthorized, "session")
				}
			}
		}
	}, identity.WithSessionMaxAge(10*time.Second, 20*time.Second))
}

// TestSessionLimitDefaults: without options an ordinary session used every
// 29 minutes ends after 12 hours and a keep-me-login one used daily after 30
// days.
func TestSessionLimitDefaults(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("def@x.com")
		for _, c := range []struct {
			keep       bool
			step, want time.Duration
		}{{false, 29 * time.Minute, identity.DefaultSessionMaxAge}, {true, 24 * time.Hour, identity.DefaultKeepMeLoginMaxAge}} {
			start := f.clock.Now()
			s := f.open("def@x.com", tm.ID, c.keep, "")
			for f.clock.Now().Sub(start)+c.step < c.want {
				f.clock.Advance(c.step)
				_, err := f.svc.Authenticate(f.ctx, s.Token)
				must(t, err)
			}
			f.clock.Advance(start.Add(c.want).Sub(f.clock.Now()))
			_, err := f.svc.Authenticate(f.ctx, s.Token)
			wantErr(t, err, identity.CodeUnauthorized, "session")
		}
	})
}

// TestSessionIdleOption: WithSessionIdle replaces the user's time-out and the
// keep-me-login idle limit.
func TestSessionIdleOption(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, _ := f.activeTeam("idle@x.com")
		normal := f.open("idle@x.com", tm.ID, false, "")
		keep := f.open("idle@x.com", tm.ID, true, "")
		if normal.IdleLimit != 5*time.Minute || keep.IdleLimit != time.Hour {
			t.Errorf("idle limits %v and %v, want 5m and 1h", normal.IdleLimit, keep.IdleLimit)
		}
		f.clock.Advance(5*time.Minute - time.Microsecond)
		_, err := f.svc.Authenticate(f.ctx, normal.Token)
		must(t, err)
		f.clock.Advance(5 * time.Minute)
		_, err = f.svc.Authenticate(f.ctx, normal.Token)
		wantErr(t, err, identity.CodeUnauthorized, "session")
		_, err = f.svc.Authenticate(f.ctx, keep.Token)
		must(t, err)
		f.clock.Advance(time.Hour)
		_, err = f.svc.Authenticate(f.ctx, keep.Token)
		wantErr(t, err, identity.CodeUnauthorized, "session")
	}, identity.WithSessionIdle(5*time.Minute, time.Hour))
}

func TestNewRefusesBadSessionLimits(t *testing.T) {
	for _, c := range []struct {
		opt   identity.Option
		field string
	}{
		{identity.WithSessionIdle(-time.Minute, time.Hour), "session_idle"},
		{identity.WithSessionIdle(0, 0), "session_idle"},
		{identity.WithSessionMaxAge(0, time.Hour), "session_max_age"},
		{identity.WithSessionMaxAge(time.Hour, -time.Hour), "session_max_age"},
	} {
		eachBackend(t, func(t *testing.T, f *fixture) {
			_, err := identity.New(f.svc.Store(), c.opt)
			wantErr(t, err, identity.CodeInvalid, c.field)
		})
	}
}

// open logs email in to teamID from ip.
func (f *fixture) open(email, teamID string, keep bool, ip string) identity.Session {
	f.t.Helper()
	s, err := f.svc.Login(f.ctx, identity.Login{Email: email, Password: password, TeamID: teamID, KeepMeLogin: keep, IP: ip})
	must(f.t, err)
	return s
}

func (f *fixture) authenticate(s identity.Session) identity.Actor {
	f.t.Helper()
	a, err := f.svc.Authenticate(f.ctx, s.Token)
	must(f.t, err)
	return a
}

// TestSessionsList: a user sees their own live sessions in the team, newest
// first, named by an ID that is not the token, with the current one marked.
func TestSessionsList(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("list@x.com")
		other, otherAdmin := f.activeTeam("elsewhere@x.com")
		f.create(otherAdmin, "list@x.com", team.RoleMember)
		f.open("list@x.com", other.ID, false, "192.0.2.9") // another team's: not listed
		f.member(admin, "mate@x.com", team.RoleMember)     // another user's: not listed
		f.clock.Advance(time.Minute)
		old := f.open("list@x.com", tm.ID, true, "192.0.2.1")
		f.clock.Advance(time.Minute)
		cur := f.open("list@x.com", tm.ID, false, "2001:db8::1")

		got, err := f.svc.Sessions(f.ctx, f.authenticate(cur))
		must(t, err)
		want := []identity.OpenSession{
			{ID: cur.ID, CreatedAt: f.clock.Now(), LastSeenAt: f.clock.Now(), ExpiresAt: cur.ExpiresAt, IP: "2001:db8::1", Current: true},
			{ID: old.ID, CreatedAt: f.clock.Now().Add(-time.Minute), LastSeenAt: f.clock.Now().Add(-time.Minute), ExpiresAt: old.ExpiresAt, IP: "192.0.2.1"},
		}
		// the admin's session from sign-up is listed too, last
		if len(got) != 3 || got[2].Current || got[2].ID == "" {
			t.Fatalf("Sessions = %+v, want the two opened and the sign-up one", got)
		}
		for i, w := range want {
			g := got[i]
			if g.ID != w.ID || !g.CreatedAt.Equal(w.CreatedAt) || !g.LastSeenAt.Equal(w.LastSeenAt) || !g.ExpiresAt.Equal(w.ExpiresAt) || g.IP != w.IP || g.Current != w.Current {
				t.Errorf("session %d = %+v, want %+v", i, g, w)
			}
			if strings.Contains(cur.Token, g.ID) || strings.Contains(old.Token, g.ID) {
				t.Errorf("session ID %q is part of a token", g.ID)
			}
		}

		f.clock.Advance(identity.DefaultSessionMaxAge) // the ordinary ones end
		got, err = f.svc.Sessions(f.ctx, f.authenticate(old))
		must(t, err)
		if len(got) != 1 || got[0].ID != old.ID || !got[0].Current {
			t.Errorf("after 12 hours Sessions = %+v, want only the keep-me-login one, current", got)
		}
	})
}

// TestRevokeSessions: a user ends one of their sessions or every other one;
// a session of another user or team is not found.
func TestRevokeSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("boss@x.com")
		f.create(admin, "rev@x.com", team.RoleMember)
		other, otherAdmin := f.activeTeam("away@x.com")
		f.create(otherAdmin, "rev@x.com", team.RoleMember)
		elsewhere := f.open("rev@x.com", other.ID, false, "")
		mate := f.member(admin, "mate@x.com", team.RoleMember)
		mates, err := f.svc.Sessions(f.ctx, mate)
		must(t, err)
		cur := f.authenticate(f.open("rev@x.com", tm.ID, false, ""))
		one := f.open("rev@x.com", tm.ID, false, "")
		two := f.open("rev@x.com", tm.ID, false, "")

		for _, c := range []struct {
			name  string
			r     identity.Revoke
			code  identity.Code
			field string
		}{
			{"nothing named", identity.Revoke{}, identity.CodeInvalid, "session_id"},
			{"both named", identity.Revoke{SessionID: one.ID, All: true}, identity.CodeInvalid, "session_id"},
			{"unknown ID", identity.Revoke{SessionID: "nope"}, identity.CodeNotFound, "session_id"},
			{"another user's", identity.Revoke{SessionID: mates[0].ID}, identity.CodeNotFound, "session_id"},
			{"another team's", identity.Revoke{SessionID: elsewhere.ID}, identity.CodeNotFound, "session_id"},
			{"a user of another team", identity.Revoke{UserID: otherAdmin.UserID, All: true}, identity.CodeNotFound, "user_id"},
			{"another member's, as a member", identity.Revoke{UserID: admin.UserID, All: true}, identity.CodeForbidden, "user_id"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.RevokeSessions(f.ctx, cur, c.r)
				wantErr(t, err, c.code, c.field)
			})
		}

		n, err := f.svc.RevokeSessions(f.ctx, cur, identity.Revoke{SessionID: one.ID})
		must(t, err)
		_, err = f.svc.Authenticate(f.ctx, one.Token)
		if wantErr(t, err, identity.CodeUnauthorized, "session"); n != 1 {
			t.Errorf("revoked %d sessions, want 1", n)
		}
		_, err = f.svc.RevokeSessions(f.ctx, cur, identity.Revoke{SessionID: one.ID})
		wantErr(t, err, identity.CodeNotFound, "session_id")

		n, err = f.svc.RevokeSessions(f.ctx, cur, identity.Revoke{All: true})
		must(t, err)
		_, err = f.svc.Authenticate(f.ctx, two.Token)
		if wantErr(t, err, identity.CodeUnauthorized, "session"); n != 1 {
			t.Errorf("all=true revoked %d sessions, want 1 (the current one stays)", n)
		}
		_, err = f.svc.Authenticate(f.ctx, elsewhere.Token)
		must(t, err) // another team's session stays
		mine, err := f.svc.Sessions(f.ctx, cur)
		must(t, err)
		if len(mine) != 1 || !mine[0].Current {
			t.Errorf("left %+v, want only the current session", mine)
		}
	})
}

// TestAdminRevokesMemberSessions: an admin ends a member's or a manager's
// sessions in the team, not another admin's; a manager ends nobody's.
func TestAdminRevokesMemberSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("boss@x.com")
		manager := f.member(admin, "mgr@x.com", team.RoleManager)
		member := f.member(admin, "mem@x.com", team.RoleMember)
		mine, err := f.svc.Sessions(f.ctx, member)
		must(t, err)

		_, err = f.svc.RevokeSessions(f.ctx, manager, identity.Revoke{UserID: member.UserID, All: true})
		wantErr(t, err, identity.CodeForbidden, "user_id")
		_, err = f.svc.RevokeSessions(f.ctx, admin, identity.Revoke{UserID: member.UserID, SessionID: "nope"})
		wantErr(t, err, identity.CodeNotFound, "session_id")
		n, err := f.svc.RevokeSessions(f.ctx, admin, identity.Revoke{UserID: member.UserID, SessionID: mine[0].ID})
		must(t, err)
		if n != 1 {
			t.Errorf("revoked %d, want 1", n)
		}
		n, err = f.svc.RevokeSessions(f.ctx, admin, identity.Revoke{UserID: manager.UserID, All: true})
		must(t, err)
		if n != 1 {
			t.Errorf("revoked %d of the manager's, want 1", n)
		}
		for _, a := range []identity.Actor{member, manager} {
			left, err := f.svc.Sessions(f.ctx, a)
			must(t, err)
			if len(left) != 0 {
				t.Errorf("%s has %+v left, want none", a.UserID, left)
			}
		}

		op := identity.Operator(admin.TeamID)
		_, err = f.svc.RevokeSessions(f.ctx, op, identity.Revoke{All: true})
		wantErr(t, err, identity.CodeInvalid, "user_id")
		f.login("mem@x.com", password, admin.TeamID)
		n, err = f.svc.RevokeSessions(f.ctx, op, identity.Revoke{UserID: member.UserID, All: true})
		must(t, err)
		if n != 1 {
			t.Errorf("the operator revoked %d of the member's, want 1", n)
		}

		other := f.member(admin, "admin2@x.com", team.RoleMember)
		promote := int(team.RoleAdmin)
		_, err = f.svc.UpdateMember(f.ctx, admin, identity.MemberUpdate{UserID: other.UserID, Role: &promote})
		must(t, err)
		_, err = f.svc.RevokeSessions(f.ctx, admin, identity.Revoke{UserID: other.UserID, All: true})
		wantErr(t, err, identity.CodeForbidden, "user_id")
	})
}
