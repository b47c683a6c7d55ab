package identity_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/embedid/identity"
	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/internal/passhash"
	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// migrated logs the member in with a wrong password, then the right one
// twice, and checks that the imported hash was stored as given (nothing
// hashed at import), kept until the right password, and bcrypt after it.
func migrated(t *testing.T, f *fixture, teamID, email, password, imported string) {
	t.Helper()
	login := func(pw string) (identity.Session, error) {
		return f.svc.Login(f.ctx, identity.Login{Email: email, Password: pw, TeamID: teamID})
	}
	if _, err := login(password + "!"); !errors.Is(err, identity.ErrUnauthorized) {
		t.Fatalf("a wrong password: %v, want unauthorized", err)
	}
	var u user.User
	must(t, f.svc.Store().Query(f.ctx, func(r storage.Reads) (err error) {
		u, err = r.UserByEmail(f.ctx, email)
		return err
	}))
	want, err := passhash.Parse(imported)
	must(t, err)
	if got := teamPassword(t, f, teamID, u.ID); string(got) != want.String() {
		t.Fatalf("before the first login the password is kept as %.7q…, want the imported hash as it was given", got)
	}
	sess, err := login(password)
	if err != nil {
		t.Fatalf("the right password: %v", err)
	}
	hash := teamPassword(t, f, teamID, sess.Member.Membership.UserID)
	if _, err := bcrypt.Cost(hash); err != nil {
		t.Fatalf("after the first login the password is kept as %.7q…, not bcrypt", hash)
	}
	if strings.HasPrefix(imported, "$2") && string(hash) != imported {
		t.Errorf("a bcrypt hash of a cost over the service's was replaced")
	}
	if _, err := login(password); err != nil {
		t.Fatalf("the right password, once more: %v", err)
	}
}

// TestMigratedUsersLogIn: a member imported with a password hash of each
// format (published known answers) logs in with the right password, not
// with a wrong one, and keeps a bcrypt hash from then on.
func TestMigratedUsersLogIn(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@x.com")
		vectors := testkit.LegacyHashes()
		file := csvFileWith("password_hash", len(vectors)+1, func(i int) string {
			if i == len(vectors) {
				return "invited@x.com,I,N,3,," // no password: invited
			}
			return fmt.Sprintf("m%d@x.com,M,N,3,,%q", i, vectors[i].Hash)
		})
		res, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(file), identity.AllowWeakHashes())
		must(t, err)
		if res.Imported != len(vectors)+1 || res.Invited != 1 {
			t.Fatalf("imported %+v, want %d members and one invitation", res, len(vectors)+1)
		}
		events, err := f.svc.ListEvents(f.ctx, admin, audit.Filter{Action: audit.MemberCreated, Limit: 100})
		must(t, err)
		events = slices.DeleteFunc(events, func(e audit.Event) bool { return e.UserID == admin.UserID }) // the sign-up's
		withPassword := 0
		for _, e := range events {
			if slices.Contains(e.Fields, "password") {
				withPassword++
			}
		}
		if len(events) != len(vectors)+1 || withPassword != len(vectors) {
			t.Errorf("%d member.created events, %d naming a password; want %d, all but the invited one's", len(events), withPassword, len(vectors)+1)
		}
		for i, v := range vectors {
			t.Run(v.Format, func(t *testing.T) { migrated(t, f, tm.ID, fmt.Sprintf("m%d@x.com", i), v.Password, v.Hash) })
		}
	})
}

// TestCreateWithPasswordHash: the Go API's member and contact creation take
// a password hash instead of a password.
func TestCreateWithPasswordHash(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@x.com")
		v := vector(t, "pbkdf2_sha256")
		in := newMember("member@x.com", team.RoleMember)
		in.Password, in.PasswordHash = "", v.Hash
		_, err := f.svc.CreateMember(f.ctx, admin, in)
		must(t, err)
		migrated(t, f, tm.ID, "member@x.com", v.Password, v.Hash)

		c := f.client(tm.ID, "user_all")
		md5 := vector(t, "md5")
		created, err := f.svc.CreateOrGetUser(f.ctx, c, identity.NewContact{Email: "contact@x.com", PasswordHash: md5.Hash, AllowWeakHash: true})
		must(t, err)
		if created.Existed {
			t.Fatal("a new contact existed")
		}
		migrated(t, f, tm.ID, "contact@x.com", md5.Password, md5.Hash)
	})
}

// vector returns the known answer of a format.
func vector(t *testing.T, format string) testkit.LegacyHash {
	for _, v := range testkit.LegacyHashes() {
		if v.Format == format {
			return v
		}
	}
	t.Fatalf("no known answer for %s", format)
	return testkit.LegacyHash{}
}

// TestPasswordHashRefusals: a weak hash without leave, a hash beside a
// password, and a malformed hash are refused on field password_hash, in
// the Go API and in an import, without repeating the hash.
func TestPasswordHashRefusals(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@x.com")
		md5 := vector(t, "md5").Hash
		const malformed = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$tooShort"
		refused := func(what string, err error) {
			t.Helper()
			if identity.ErrorCode(err) != identity.CodeInvalid || identity.ErrorField(err) != "password_hash" {
				t.Errorf("%s: %v, want invalid password_hash", what, err)
			}
			if err != nil && (strings.Contains(err.Error(), md5) || strings.Contains(err.Error(), "tooShort")) {
				t.Errorf("%s: the error repeats the hash: %v", what, err)
			}
		}
		in := newMember("member@x.com", team.RoleMember)
		in.PasswordHash = vector(t, "bcrypt").Hash
		_, err := f.svc.CreateMember(f.ctx, admin, in)
		refused("a password and a hash", err)
		in.Password, in.PasswordHash = "", md5
		_, err = f.svc.CreateMember(f.ctx, admin, in)
		refused("a weak hash", err)
		in.PasswordHash = malformed
		_, err = f.svc.CreateMember(f.ctx, admin, in)
		refused("a malformed hash", err)
		_, err = f.svc.CreateOrGetUser(f.ctx, f.client(tm.ID, "user_all"), identity.NewContact{Email: "c@x.com", PasswordHash: md5})
		refused("a weak hash for a contact", err)

		file := csvFileWith("password_hash", 2, func(i int) string { return fmt.Sprintf("m%d@x.com,M,N,3,,%q", i, []string{md5, malformed}[i]) })
		_, err = f.svc.ImportCSV(f.ctx, admin, strings.NewReader(file))
		var bad *identity.ImportError
		if !errors.As(err, &bad) || len(bad.Rows) != 2 || bad.Rows[0].Column != "password_hash" || bad.Rows[1].Column != "password_hash" {
			t.Fatalf("import: %v, want two bad rows on password_hash", err)
		}
		if _, total, _ := f.svc.ListMembers(f.ctx, admin, identity.DefaultListQuery()); total != 1 {
			t.Errorf("%d members after refusals, want the admin alone", total)
		}
	})
}
