package storagetest

// The cases of storage.Users.

import (
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// userGetters are the three ways to read a user back.
var userGetters = []struct {
	name string
	get  func(*testing.T, storage.Tx, user.User) (user.User, error)
}{
	{"User", func(t *testing.T, tx storage.Tx, u user.User) (user.User, error) { return tx.User(t.Context(), u.ID) }},
	{"UserByEmail", func(t *testing.T, tx storage.Tx, u user.User) (user.User, error) {
		return tx.UserByEmail(t.Context(), u.Email.Normalized)
	}},
	{"UserByMobile", func(t *testing.T, tx storage.Tx, u user.User) (user.User, error) {
		return tx.UserByMobile(t.Context(), u.Mobile.E164())
	}},
}

func testUserRoundTrip(t *testing.T, s storage.Store) {
	in := fullUser("u1", 1).User
	want := in
	for _, p := range userTimes(&in) {
		*p = p.Add(789 * time.Nanosecond) // truncated to microseconds when stored
	}
	write(t, s, func(tx storage.Tx) error { return tx.InsertUser(t.Context(), in) })
	for _, g := range userGetters {
		got := read(t, s, func(tx storage.Tx) (user.User, error) { return g.get(t, tx, want) })
		same(t, g.name, got, want)
		for _, p := range userTimes(&got) {
			if p.Location() != time.UTC {
				t.Errorf("%s: time %v is not in UTC", g.name, *p)
			}
		}
	}
}

func testUserZeroValues(t *testing.T, s storage.Store) {
	in := user.User{ID: "u1", CreatedAt: at(0)}
	write(t, s, func(tx storage.Tx) error { return tx.InsertUser(t.Context(), in) })
	got := read(t, s, func(tx storage.Tx) (user.User, error) { return tx.User(t.Context(), "u1") })
	same(t, "User", got, in)
	if got.PasswordHash != nil {
		t.Errorf("got PasswordHash %#v, want nil", got.PasswordHash)
	}
	// Users without email or mobile do not conflict with each other.
	write(t, s, func(tx storage.Tx) error { return tx.InsertUser(t.Context(), user.User{ID: "u2", CreatedAt: at(0)}) })
}

// testUserAnyText stores text with every character that JSON escapes or
// encodes in more than one byte, and a hash with every byte value, in a user
// and what a team records about them, and reads them back unchanged: SQLite
// reads rows packed as JSON.
func testUserAnyText(t *testing.T, s storage.Store) {
	seedTeams(t, s, "a")
	in := fullUser("u1", 1)
	var ctl strings.Builder
	for c := rune(1); c < 0x20; c++ {
		ctl.WriteRune(c)
	}
	in.UserName = `"quoted" 'it''s' \back\slash/ and \u00e9, null` + ctl.String() + "\x7f"
	in.FirstName, in.LastName = `"quoted" 'it''s' \back\slash/ and \u00e9, null`, ctl.String()+"\x7f"
	in.City, in.WorkPlace = "é ß 中文 😀", "\\\"\\"
	in.JobTitle = `["a",null,1]`
	in.Extension = map[string]any{"q": `"\`, "ctl": "\n\t", "emoji": "😀"}
	in.PasswordHash = make([]byte, 256)
	for i := range in.PasswordHash {
		in.PasswordHash[i] = byte(i)
	}
	seedMember(t, s, "a", in, team.RoleMember, team.MemberActive)
	for _, g := range userGetters {
		same(t, g.name, read(t, s, func(tx storage.Tx) (user.User, error) { return g.get(t, tx, in.User) }), in.User)
	}
	got := read(t, s, func(tx storage.Tx) (team.Member, error) { return tx.Member(t.Context(), "a", "u1") })
	same(t, "Member", got, in.memberOf("a", team.RoleMember, team.MemberActive))
}

func testUserConflicts(t *testing.T, s storage.Store) {
	u1, u2 := fullUser("u1", 1).User, fullUser("u2", 2).User
	write(t, s, func(tx storage.Tx) error {
		if err := tx.InsertUser(t.Context(), u1); err != nil {
			return err
		}
		return tx.InsertUser(t.Context(), u2)
	})
	sameEmail, sameMobile, sameID := fullUser("u3", 3).User, fullUser("u3", 3).User, fullUser("u1", 3).User
	sameEmail.Email = u1.Email
	sameMobile.Mobile = u1.Mobile
	sameID.Email, sameID.Mobile = email("u3"), mobile(3)
	for _, c := range []struct {
		field string
		u     user.User
	}{{"email", sameEmail}, {"mobile", sameMobile}, {"user_id", sameID}} {
		fails(t, s, errs.Conflict, c.field, func(tx storage.Tx) error { return tx.InsertUser(t.Context(), c.u) })
	}
	toEmail, toMobile := u2, u2
	toEmail.Email = contact.Email{Display: "U1@example.com", Normalized: u1.Email.Normalized}
	toMobile.Mobile = u1.Mobile
	fails(t, s, errs.Conflict, "email", func(tx storage.Tx) error { return tx.UpdateUser(t.Context(), toEmail) })
	fails(t, s, errs.Conflict, "mobile", func(tx storage.Tx) error { return tx.UpdateUser(t.Context(), toMobile) })
	got := read(t, s, func(tx storage.Tx) (user.User, error) { return tx.User(t.Context(), "u2") })
	same(t, "u2 after refused updates", got, u2)
}

func testUpdateUser(t *testing.T, s storage.Store) {
	old := newUser("u1", "Ann", "Lee").User
	write(t, s, func(tx storage.Tx) error { return tx.InsertUser(t.Context(), old) })
	want := fullUser("u1", 1).User
	changed := want
	changed.CreatedAt = at(99) // not mutable
	write(t, s, func(tx storage.Tx) error { return tx.UpdateUser(t.Context(), changed) })
	want.CreatedAt = old.CreatedAt
	for _, g := range userGetters {
		got := read(t, s, func(tx storage.Tx) (user.User, error) { return g.get(t, tx, want) })
		same(t, g.name+" after UpdateUser", got, want)
	}
	// Clearing the email and mobile frees them.
	cleared := want
	cleared.Email, cleared.Mobile = contact.Email{}, contact.Phone{}
	write(t, s, func(tx storage.Tx) error { return tx.UpdateUser(t.Context(), cleared) })
	got := read(t, s, func(tx storage.Tx) (user.User, error) { return tx.User(t.Context(), "u1") })
	same(t, "User after clearing", got, cleared)
	other := fullUser("u2", 1).User
	other.Email = want.Email
	write(t, s, func(tx storage.Tx) error { return tx.InsertUser(t.Context(), other) })
}

func testInsertUserIfAbsent(t *testing.T, s storage.Store) {
	first := fullUser("u1", 1).User
	byEmail, byMobile, byID, fresh := fullUser("u2", 2).User, fullUser("u3", 1).User, fullUser("u1", 4).User, fullUser("u5", 5).User
	byEmail.Email = first.Email
	byMobile.Email = email("u3")
	byID.Email = email("u4")
	for _, c := range []struct {
		name string
		u    user.User
		want bool
	}{{"new", first, true}, {"same email", byEmail, false}, {"same mobile", byMobile, false}, {"same ID", byID, false}, {"other", fresh, true}} {
		added := writeResult(t, s, func(tx storage.Tx) (bool, error) { return tx.InsertUserIfAbsent(t.Context(), c.u) })
		if added != c.want {
			t.Errorf("%s: InsertUserIfAbsent = %v, want %v", c.name, added, c.want)
		}
	}
	got := read(t, s, func(tx storage.Tx) (user.User, error) { return tx.User(t.Context(), "u1") })
	same(t, "first user", got, first)
	for _, id := range []string{"u2", "u3"} {
		fails(t, s, errs.NotFound, "", func(tx storage.Tx) error {
			_, err := tx.User(t.Context(), id)
			return err
		})
	}
}

func testUserByNormalizedEmail(t *testing.T, s storage.Store) {
	u := newUser("u1", "Ann", "Lee").User
	u.Email = contact.Email{Display: "Ann.Lee@Example.COM", Normalized: "ann.lee@example.com"}
	write(t, s, func(tx storage.Tx) error { return tx.InsertUser(t.Context(), u) })
	got := read(t, s, func(tx storage.Tx) (user.User, error) { return tx.UserByEmail(t.Context(), "ann.lee@example.com") })
	same(t, "UserByEmail", got.Email, u.Email)
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error {
		_, err := tx.UserByEmail(t.Context(), "Ann.Lee@Example.COM") // not normalized
		return err
	})
	shouting := newUser("u2", "Ann", "Lee").User
	shouting.Email = contact.Email{Display: "ANN.LEE@EXAMPLE.COM", Normalized: "ann.lee@example.com"}
	fails(t, s, errs.Conflict, "email", func(tx storage.Tx) error { return tx.InsertUser(t.Context(), shouting) })
}
