package storagetest

// The cases of storage.Credentials: codes and sessions.

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

func testCodes(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	seedMember(t, s, "a", newUser("u1", "Ann", "Lee"), team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", newUser("u2", "Bob", "Lee"), team.RoleMember, team.MemberActive)
	code := func(hash string, kind user.CodeKind, userID string) user.Code {
		return user.Code{Hash: []byte(hash), Kind: kind, UserID: userID, TeamID: "a", CreatedAt: at(0), ExpiresAt: at(30)}
	}
	activation, invitation, other := code("c1", user.CodeActivation, "u1"), code("c2", user.CodeInvitation, "u1"), code("c3", user.CodeActivation, "u2")
	write(t, s, func(tx storage.Tx) error {
		return firstError(tx.InsertCode(t.Context(), activation), tx.InsertCode(t.Context(), invitation), tx.InsertCode(t.Context(), other))
	})
	got := read(t, s, func(tx storage.Tx) (user.Code, error) { return tx.Code(t.Context(), []byte("c1")) })
	same(t, "Code", got, activation)
	held := read(t, s, func(tx storage.Tx) ([][]byte, error) {
		return tx.HeldCodes(t.Context(), [][]byte{[]byte("c3"), []byte("c9"), []byte("c1")})
	})
	slices.SortFunc(held, bytes.Compare)
	same(t, "HeldCodes", held, [][]byte{[]byte("c1"), []byte("c3")})
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error {
		return tx.InsertCode(t.Context(), code("c4", user.CodeActivation, "nobody"))
	})

	write(t, s, func(tx storage.Tx) error { return tx.DeleteCodes(t.Context(), "a", "u1", user.CodeActivation) })
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { _, err := tx.Code(t.Context(), []byte("c1")); return err })
	for _, c := range []user.Code{invitation, other} {
		got := read(t, s, func(tx storage.Tx) (user.Code, error) { return tx.Code(t.Context(), c.Hash) })
		same(t, "Code kept", got, c)
	}
}

func testSessions(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a", "b")
	seedMember(t, s, "a", newUser("u1", "Ann", "Lee"), team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "b", newUser("u1", "Ann", "Lee"), team.RoleAdmin, team.MemberActive)
	seedMember(t, s, "a", newUser("u2", "Bob", "Lee"), team.RoleMember, team.MemberActive)
	n := 0
	session := func(hash, userID, teamID string) user.Session {
		n++
		return user.Session{Hash: []byte(hash), ID: "id-" + hash, UserID: userID, TeamID: teamID, CreatedAt: at(n), LastSeenAt: at(n + 1),
			IdleLimit: 30*time.Minute + time.Microsecond, MaxAge: 12*time.Hour + time.Microsecond, IP: "192.0.2." + hash[1:]}
	}
	all := []user.Session{session("s1", "u1", "a"), session("s2", "u1", "a"), session("s3", "u1", "a"), session("s4", "u1", "b"), session("s5", "u2", "a")}
	write(t, s, func(tx storage.Tx) error {
		for _, ss := range all {
			if err := tx.InsertSession(t.Context(), ss); err != nil {
				return err
			}
		}
		return nil
	})
	got := read(t, s, func(tx storage.Tx) (user.Session, error) { return tx.Session(t.Context(), []byte("s1")) })
	same(t, "Session", got, all[0])
	for _, c := range []struct {
		team, user string
		want       []user.Session
	}{
		{"a", "u1", []user.Session{all[2], all[1], all[0]}}, // the newest first
		{"b", "u1", []user.Session{all[3]}},
		{"b", "u2", []user.Session{}},
	} {
		list := read(t, s, func(tx storage.Tx) ([]user.Session, error) { return tx.Sessions(t.Context(), c.team, c.user) })
		same(t, "Sessions("+c.team+", "+c.user+")", list, c.want)
	}
	fails(t, s, errs.Conflict, "session", func(tx storage.Tx) error {
		taken := session("s6", "u1", "a")
		taken.ID = all[0].ID
		return tx.InsertSession(t.Context(), taken)
	})

	write(t, s, func(tx storage.Tx) error {
		return tx.TouchSession(t.Context(), []byte("s1"), at(20).Add(time.Nanosecond))
	})
	got = read(t, s, func(tx storage.Tx) (user.Session, error) { return tx.Session(t.Context(), []byte("s1")) })
	want := all[0]
	want.LastSeenAt = at(20)
	same(t, "Session after TouchSession", got, want)

	for _, c := range []struct {
		f    storage.SessionFilter
		left []string
	}{
		{storage.SessionFilter{Hash: []byte("s1")}, []string{"s2", "s3", "s4", "s5"}},
		{storage.SessionFilter{UserID: "u1", TeamID: "a", Except: []byte("s2")}, []string{"s2", "s4", "s5"}},
		{storage.SessionFilter{UserID: "u1", Except: []byte("s2")}, []string{"s2", "s5"}},
		{storage.SessionFilter{UserID: "u1"}, []string{"s5"}},
	} {
		write(t, s, func(tx storage.Tx) error { return tx.DeleteSessions(t.Context(), c.f) })
		same(t, "sessions left", sessionsLeft(t, s, all), c.left)
	}
	fails(t, s, errs.Invalid, "", func(tx storage.Tx) error {
		return tx.DeleteSessions(t.Context(), storage.SessionFilter{TeamID: "a"})
	})
}

// sessionsLeft returns the hashes of the sessions of all that remain.
func sessionsLeft(t *testing.T, s storage.Store, all []user.Session) []string {
	t.Helper()
	return read(t, s, func(tx storage.Tx) ([]string, error) {
		left := []string{}
		for _, ss := range all {
			_, err := tx.Session(t.Context(), ss.Hash)
			switch errs.CodeOf(err) {
			case "":
				left = append(left, string(ss.Hash))
			case errs.NotFound:
			default:
				return nil, err
			}
		}
		return left, nil
	})
}
