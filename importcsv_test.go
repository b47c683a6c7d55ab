package identity_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/embedid/identity"
	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

func csvFile(rows int, row func(i int) string) string {
	return csvFileWith("", rows, row)
}

// csvFileWith is csvFile with more columns after the usual ones.
func csvFileWith(more string, rows int, row func(i int) string) string {
	var b strings.Builder
	b.WriteString("mail_address,first_name,last_name,role,mobile")
	if more != "" {
		b.WriteString("," + more)
	}
	b.WriteByte('\n')
	for i := range rows {
		b.WriteString(row(i))
		b.WriteByte('\n')
	}
	return b.String()
}

func TestImportOneBadRowImportsNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		file := csvFile(1000, func(i int) string {
			if i == 499 {
				return "broken-address,First,Last,3,"
			}
			return fmt.Sprintf("user%04d@x.com,First,Last,3,", i)
		})
		_, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(file))
		var ie *identity.ImportError
		if !errors.As(err, &ie) || !errors.Is(err, identity.ErrInvalid) {
			t.Fatalf("got %v, want an ImportError", err)
		}
		if len(ie.Rows) != 1 || ie.Rows[0].Line != 501 || ie.Rows[0].Column != "mail_address" {
			t.Fatalf("bad rows %+v", ie.Rows)
		}
		_, total, err := f.svc.ListMembers(f.ctx, admin, identity.DefaultListQuery())
		must(t, err)
		if total != 1 {
			t.Fatalf("%d members after a refused import", total)
		}
	})
}

func TestImportConflictInDatabaseRollsBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		f.create(admin, "already@x.com", team.RoleMember)
		file := csvFile(3, func(i int) string {
			return []string{"fresh@x.com,A,B,3,", "already@x.com,A,B,3,", "fresh2@x.com,A,B,3,15204130006"}[i]
		})
		_, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(file))
		var ie *identity.ImportError
		if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 3 {
			t.Fatalf("got %v", err)
		}
		if _, total, _ := f.svc.ListMembers(f.ctx, admin, identity.DefaultListQuery()); total != 2 {
			t.Fatalf("%d members after a refused import", total)
		}
		if teams, _, _ := f.svc.TeamsForEmail(f.ctx, "fresh@x.com"); len(teams) != 0 {
			t.Fatal("a row of a refused import was kept")
		}
	})
}

func TestImportCreatesAndInvites(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@x.com")
		_, adminB := f.activeTeam("b@x.com")
		f.create(adminB, "elsewhere@x.com", team.RoleMember)
		file := "\ufeffEmail,First_Name,Last_Name,Password,Role_ID,Mobile,Time_Zone,Lang\r\n" +
			"with.pw@x.com,With,Password,secret-pw-1,2,15204130006,-5,en\r\n" +
			"invited@x.com,Invited,Person,,3,+86 152 0413 0007,,\r\n" +
			"elsewhere@x.com,Other,Names,,3,,,\r\n"
		res, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(file))
		must(t, err)
		if res.Imported != 3 || res.Invited != 2 {
			t.Fatalf("result %+v", res)
		}
		f.login("with.pw@x.com", "secret-pw-1", tm.ID)
		// B's password for elsewhere@ opens B only: A's row without a
		// password invites them to A.
		_, err = f.svc.Login(f.ctx, identity.Login{Email: "elsewhere@x.com", Password: password, TeamID: tm.ID})
		wantErr(t, err, identity.CodeUnauthorized, "")
		if n := f.box.Last(t, "elsewhere@x.com"); n.Kind != user.CodeInvitation || n.TeamID != tm.ID {
			t.Fatalf("notification %+v", n)
		}

		n := f.box.Last(t, "invited@x.com")
		if n.Kind != user.CodeInvitation {
			t.Fatalf("notification %+v", n)
		}
		_, err = f.svc.Login(f.ctx, identity.Login{Email: "invited@x.com", Password: "anything1", TeamID: tm.ID})
		wantErr(t, err, identity.CodeUnauthorized, "")
		wantErr(t, f.svc.Activate(f.ctx, n.Code, ""), identity.CodeInvalid, "password")
		must(t, f.svc.Activate(f.ctx, n.Code, "chosen-pw-1"))
		a := f.login("invited@x.com", "chosen-pw-1", tm.ID)
		m, err := f.svc.Member(f.ctx, a, a.UserID)
		must(t, err)
		if m.User.Mobile.Dashed() != "+86-15204130007" || m.Membership.Role != team.RoleMember {
			t.Fatalf("invited member %+v", m)
		}
	})
}

// TestImportInvitesInBatches imports more rows without a password than one
// batch of invitations holds: every new member gets exactly one code, and
// codes from the first and the last batch work.
func TestImportInvitesInBatches(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@x.com")
		const n = 1201
		before := len(f.box.Sent())
		res, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(csvFile(n, func(i int) string {
			return fmt.Sprintf("user%04d@x.com,First,Last,3,", i)
		})))
		must(t, err)
		if res.Imported != n || res.Invited != n {
			t.Fatalf("result %+v, want %d imported and invited", res, n)
		}
		sent := f.box.Sent()[before:]
		to := map[string]int{}
		for _, s := range sent {
			to[s.To]++
		}
		if len(sent) != n || len(to) != n {
			t.Fatalf("%d invitations to %d addresses, want one to each of %d", len(sent), len(to), n)
		}
		for _, email := range []string{"user0000@x.com", "user1200@x.com"} {
			must(t, f.svc.Activate(f.ctx, f.box.Last(t, email).Code, "chosen-pw-1"))
			f.login(email, "chosen-pw-1", tm.ID)
		}
	})
}

func TestImportRoleRules(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		manager := f.member(admin, "manager@x.com", team.RoleManager)
		member := f.member(admin, "member@x.com", team.RoleMember)
		file := csvFile(2, func(i int) string { return fmt.Sprintf("u%d@x.com,A,B,%d,", i, 3-i) })
		_, err := f.svc.ImportCSV(f.ctx, manager, strings.NewReader(file))
		var ie *identity.ImportError
		if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 3 || ie.Rows[0].Column != "role" {
			t.Fatalf("manager importing a manager: %v", err)
		}
		_, err = f.svc.ImportCSV(f.ctx, member, strings.NewReader(file))
		wantErr(t, err, identity.CodeForbidden, "")
		_, err = f.svc.ImportCSV(f.ctx, admin, strings.NewReader("email,first_name,last_name\n"))
		wantErr(t, err, identity.CodeInvalid, "file")
	})
}

func TestImportRowLimit(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		file := csvFile(4, func(i int) string { return fmt.Sprintf("u%d@x.com,A,B,3,", i) })
		_, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(file))
		wantErr(t, err, identity.CodeInvalid, "file")
		file = csvFile(3, func(i int) string { return fmt.Sprintf("u%d@x.com,A,B,3,", i) })
		res, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(file))
		must(t, err)
		if res.Imported != 3 {
			t.Fatalf("imported %d", res.Imported)
		}
	}, identity.WithMaxImportRows(3))
}

// TestImportMatchesPasswordsToRows spreads rows with a password over three
// batches: each member logs in with the password of their own row.
func TestImportMatchesPasswordsToRows(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		tm, admin := f.activeTeam("admin@x.com")
		const n = 1100
		res, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(csvFileWith("password", n, func(i int) string {
			if i%250 == 0 {
				return fmt.Sprintf("user%04d@x.com,First,Last,3,,pw-%04d-secret", i, i)
			}
			return fmt.Sprintf("user%04d@x.com,First,Last,3,,", i)
		})))
		must(t, err)
		if res.Imported != n || res.Invited != n-5 {
			t.Fatalf("result %+v, want %d imported, %d invited", res, n, n-5)
		}
		f.login("user0000@x.com", "pw-0000-secret", tm.ID)
		f.login("user1000@x.com", "pw-1000-secret", tm.ID)
		_, err = f.svc.Login(f.ctx, identity.Login{Email: "user0750@x.com", Password: "pw-0500-secret", TeamID: tm.ID})
		wantErr(t, err, identity.CodeUnauthorized, "")
	})
}

// TestImportReadsAReaderThatCannotSeek imports from a plain io.Reader.
func TestImportReadsAReaderThatCannotSeek(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		file := csvFile(3, func(i int) string { return fmt.Sprintf("u%d@x.com,A,B,3,", i) })
		res, err := f.svc.ImportCSV(f.ctx, admin, iotest.OneByteReader(strings.NewReader(file)))
		must(t, err)
		if res.Imported != 3 || res.Invited != 3 || f.box.Last(t, "u2@x.com").Kind != user.CodeInvitation {
			t.Fatalf("result %+v", res)
		}
	})
}

// TestImportOfAFileThatChanges changes the last row of a file after it was
// checked: the import stops with a conflict after writing two batches, and
// they are rolled back.
func TestImportOfAFileThatChanges(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		row := func(i int) string { return fmt.Sprintf("user%04d@x.com,First,Last,3,", i) }
		before := len(f.box.Sent())
		r := &changing{Reader: strings.NewReader(csvFile(1201, row)), then: csvFile(1201, func(i int) string {
			if i == 1200 {
				return "someone.else@x.com,First,Last,3,"
			}
			return row(i)
		})}
		_, err := f.svc.ImportCSV(f.ctx, admin, r)
		wantErr(t, err, identity.CodeConflict, "file")
		if _, total, _ := f.svc.ListMembers(f.ctx, admin, identity.DefaultListQuery()); total != 1 {
			t.Fatalf("%d members after the import failed", total)
		}
		if sent := f.box.Sent()[before:]; len(sent) != 0 {
			t.Fatalf("the failed import sent %d invitations", len(sent))
		}
	})
}

// changing is a file that holds one text until it is read from the start a
// second time, and then another: one import checks the first and writes the
// second.
type changing struct {
	*strings.Reader
	rewinds int
	then    string
}

func (c *changing) Seek(offset int64, whence int) (int64, error) {
	if whence == io.SeekStart {
		if c.rewinds++; c.rewinds == 2 {
			c.Reader = strings.NewReader(c.then)
		}
	}
	return c.Reader.Seek(offset, whence)
}

// TestImportListsAtMostMaxProblems imports a file whose rows all repeat
// the first: the error lists MaxImportProblems of them, in line order, and
// counts the rest.
func TestImportListsAtMostMaxProblems(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		const n = identity.MaxImportProblems + 500
		_, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(csvFile(n, func(int) string { return "same@x.com,A,B,3," })))
		var ie *identity.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("got %v, want an ImportError", err)
		}
		if len(ie.Rows) != identity.MaxImportProblems || ie.More != n-1-identity.MaxImportProblems {
			t.Fatalf("%d rows listed and %d more, want %d and %d", len(ie.Rows), ie.More, identity.MaxImportProblems, n-1-identity.MaxImportProblems)
		}
		if r := ie.Rows[0]; r.Line != 3 || r.Reason != "repeats the address on line 2" || ie.Rows[len(ie.Rows)-1].Line != identity.MaxImportProblems+2 {
			t.Fatalf("first %+v, last %+v", r, ie.Rows[len(ie.Rows)-1])
		}
	})
}

// TestImportRowLimitStopsAnEndlessStream imports a stream that never ends
// and cannot seek: the row limit stops the reading, and with it the copy.
func TestImportRowLimitStopsAnEndlessStream(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		_, err := f.svc.ImportCSV(f.ctx, admin, &testkit.EndlessCSV{})
		wantErr(t, err, identity.CodeInvalid, "file")
	}, identity.WithMaxImportRows(1000))
}

// TestImportListsMembersAndPasses asks an import for the new members' IDs
// and for its readings of the file: the IDs are the members', in the rows'
// order, and the readings are named and counted, without the hashing one
// when no row has a password.
func TestImportListsMembersAndPasses(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		_, admin := f.activeTeam("admin@x.com")
		for _, tc := range []struct {
			file string
			want []identity.ImportPass
		}{
			{"mail_address,first_name,last_name,password\nPw@X.com,A,B,secret-pw-1\nnone@x.com,C,D,\n", []identity.ImportPass{
				{Name: identity.PassChecking, N: 1}, {Name: identity.PassHashing, N: 2, Of: 4, Rows: 2, Passwords: 1},
				{Name: identity.PassWriting, N: 3, Of: 4, Rows: 2, Passwords: 1}, {Name: identity.PassSending, N: 4, Of: 4, Rows: 2, Passwords: 1},
			}},
			{"email,first_name,last_name\nthird@x.com,E,F\n", []identity.ImportPass{
				{Name: identity.PassChecking, N: 1}, {Name: identity.PassWriting, N: 2, Of: 3, Rows: 1},
				{Name: identity.PassSending, N: 3, Of: 3, Rows: 1},
			}},
		} {
			var passes []identity.ImportPass
			res, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(tc.file), identity.ImportMembers(),
				identity.ImportPasses(func(p identity.ImportPass) { passes = append(passes, p) }))
			must(t, err)
			if fmt.Sprint(passes) != fmt.Sprint(tc.want) {
				t.Errorf("passes %+v, want %+v", passes, tc.want)
			}
			if len(res.Members) != res.Imported {
				t.Fatalf("%d members listed, %d imported", len(res.Members), res.Imported)
			}
			for _, im := range res.Members {
				m, err := f.svc.Member(f.ctx, admin, im.UserID)
				must(t, err)
				if !strings.EqualFold(m.User.Email.Display, im.Email) {
					t.Errorf("listed %+v, the member is %s", im, m.User.Email.Display)
				}
			}
		}
		res, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader("email,first_name,last_name\nfourth@x.com,G,H\n"))
		must(t, err)
		if res.Members != nil {
			t.Errorf("an import not asked for its members listed %v", res.Members)
		}
	})
}

func TestImportErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		err  *identity.ImportError
		want string
	}{
		{&identity.ImportError{Rows: []identity.RowError{{Line: 2, Reason: "has 4 fields; the header names 5"}}},
			"1 bad row; nothing was imported; line 2: has 4 fields; the header names 5"},
		{&identity.ImportError{Rows: []identity.RowError{{Line: 2, Column: "role", Reason: "bad"}}, More: 1},
			"2 bad rows; nothing was imported; line 2, role: bad"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	if got := identity.ErrorMessage((&identity.ImportError{Rows: make([]identity.RowError, 1)}).Unwrap()); got != "file: has 1 bad row; nothing was imported" {
		t.Errorf("Unwrap says %q", got)
	}
}
