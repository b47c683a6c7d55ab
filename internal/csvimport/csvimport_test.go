package csvimport_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/csvimport"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

// readAll checks a file as an import does: every row, then the rows that
// repeat another, hashing with hash (nil: the real hash).
func readAll(t *testing.T, file string, hash func(string) uint64) ([]csvimport.Row, []csvimport.Problem, error) {
	t.Helper()
	f, err := csvimport.Open(strings.NewReader(file), csvimport.Rules{Region: "CN", Phones: contact.Valid})
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	repeats := csvimport.NewRepeats()
	if hash != nil {
		repeats = csvimport.RepeatsHashing(hash)
	}
	var rows []csvimport.Row
	var problems []csvimport.Problem
	err = f.Check(func(row csvimport.Row, ps []csvimport.Problem) error {
		if len(ps) == 0 {
			rows = append(rows, row)
		}
		repeats.Add(row)
		problems = append(problems, ps...)
		return nil
	})
	if err != nil {
		return rows, problems, err
	}
	err = repeats.Problems(f, func(p csvimport.Problem) { problems = append(problems, p) })
	slices.SortStableFunc(problems, func(a, b csvimport.Problem) int { return a.Line - b.Line })
	return rows, problems, err
}

func TestReadsEveryForm(t *testing.T) {
	file := "\ufeffEMAIL,Last_Name,first_name,Role_ID,mobile,time_zone,lang,password,middle_name\r\n" +
		"a@x.com,Tran,Le,2,15204130006,-5,en,password1,\r\n" +
		"\"b@x.com\",\"Duong, Jr.\",\"Quy \"\"Q\"\"\",,+86 152 0413 0007,,,,Lien\n"
	rows, problems, err := readAll(t, file, nil)
	if err != nil || len(problems) > 0 || len(rows) != 2 {
		t.Fatalf("rows %v, problems %v, err %v", rows, problems, err)
	}
	a, b := rows[0], rows[1]
	if a.Line != 2 || a.Email.Normalized != "a@x.com" || a.Names.First != "Le" || a.Role != team.RoleManager ||
		a.Mobile.E164() != "+8615204130006" || *a.TimeZone != -5 || a.Lang != "en" || a.Password != "password1" {
		t.Errorf("row a: %+v", a)
	}
	if b.Line != 3 || b.Names.Last != "Duong, Jr." || b.Names.First != `Quy "Q"` || b.Names.Middle != "Lien" ||
		b.Role != team.RoleMember || b.Password != "" || b.TimeZone != nil {
		t.Errorf("row b: %+v", b)
	}
}

func TestReportsEveryBadRow(t *testing.T) {
	file := "mail_address,first_name,last_name,role,mobile,password\n" +
		"ok@x.com,A,B,3,,\n" +
		"not-an-email,A,B,3,,\n" + // line 3
		"c@x.com,,B,3,,\n" + // line 4
		"d@x.com,A,B,1,,\n" + // line 5: admins cannot be imported
		"OK@x.com,A,B,3,,\n" + // line 6: repeats line 2
		"e@x.com,A,B,3,123,\n" + // line 7
		"f@x.com,A,B,3,,short\n" + // line 8
		"g@x.com,A,B\n" + // line 9: too few fields
		"h@x.com,A,B,3,\"unclosed,\n"
	_, problems, err := readAll(t, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line   int
		column string
		reason string
	}{
		{3, "mail_address", "@"}, {4, "first_name", "required"}, {5, "role", "2 (manager) or 3"},
		{6, "mail_address", "line 2"}, {7, "mobile", ""}, {8, "password", "at least 8"},
		{9, "", "has 3 fields; the header names 6"}, {10, "", "quote"},
	}
	if len(problems) != len(want) {
		t.Fatalf("got %d problems, want %d: %+v", len(problems), len(want), problems)
	}
	for i, w := range want {
		p := problems[i]
		if p.Line != w.line || p.Column != w.column || !strings.Contains(p.Reason, w.reason) {
			t.Errorf("problem %d = %+v, want line %d column %q reason ~%q", i, p, w.line, w.column, w.reason)
		}
	}
}

func TestHeaderErrors(t *testing.T) {
	cases := map[string]string{
		"":                                       "empty",
		"first_name,last_name\n":                 "mail_address",
		"email,first_name,last_name,shoe_size\n": "unknown column",
		"email,mail_address,first_name,last_name\n": "twice",
		strings.Repeat("x,", 40) + "x\n":            "columns",
	}
	for file, want := range cases {
		_, _, err := readAll(t, file, nil)
		if errs.FieldOf(err) != "file" || !strings.Contains(err.Error(), want) {
			t.Errorf("%.30q: %v, want ~%q", file, err, want)
		}
	}
}

func TestFieldTooLong(t *testing.T) {
	file := fmt.Sprintf("email,first_name,last_name\na@x.com,%s,B\n", strings.Repeat("n", csvimport.MaxFieldLen+1))
	_, problems, _ := readAll(t, file, nil)
	if len(problems) != 1 || problems[0].Column != "first_name" || problems[0].Line != 2 {
		t.Fatalf("problems %+v", problems)
	}
}

func FuzzReader(f *testing.F) {
	f.Add("email,first_name,last_name\na@x.com,A,B\n")
	f.Add("\ufeffmail_address,first_name,last_name,role,mobile\r\n\"a@x.com\",\"A\",B,2,+8615204130007\r\n")
	f.Add("email,first_name,last_name\n\"unclosed,A,B\n")
	f.Fuzz(func(t *testing.T, file string) {
		in, err := csvimport.Open(strings.NewReader(file), csvimport.Rules{Region: "CN", Phones: contact.Valid})
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		err = in.Check(func(row csvimport.Row, problems []csvimport.Problem) error {
			for _, p := range problems {
				if p.Line < 1 || p.Reason == "" {
					t.Fatalf("problem without line or reason: %+v", p)
				}
			}
			if len(problems) == 0 && (row.Email.IsZero() || row.Names.First == "" || row.Names.Last == "") {
				t.Fatalf("valid row lacks a required field: %+v", row)
			}
			return nil
		})
		if err != nil && errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("error with code %q: %v", errs.CodeOf(err), err)
		}
	})
}

// checkBy checks each row of file alone, read by rules.
func checkBy(t *testing.T, rules csvimport.Rules, file string) ([]csvimport.Row, []csvimport.Problem) {
	t.Helper()
	f, err := csvimport.Open(strings.NewReader(file), rules)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []csvimport.Row
	var problems []csvimport.Problem
	err = f.Check(func(row csvimport.Row, ps []csvimport.Problem) error {
		if len(ps) == 0 {
			rows = append(rows, row)
		}
		problems = append(problems, ps...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows, problems
}

func TestReadsPasswordHashes(t *testing.T) {
	const md5 = "E10ADC3949BA59ABBE56E057F20F883E" // MD5("123456")
	const bcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
	file := "email,first_name,last_name,password,password_hash\n" +
		"a@x.com,A,B,," + bcrypt + "\n" +
		"b@x.com,A,B,," + md5 + "\n" +
		"c@x.com,A,B,password1," + bcrypt + "\n" +
		"d@x.com,A,B,,\"$argon2id$v=19$m=64,t=1,p=1$not-base64!$AAAA\"\n" +
		"e@x.com,A,B,password1,\n"
	rules := csvimport.Rules{Region: "CN", Phones: contact.Valid}
	rows, problems := checkBy(t, rules, file)
	if len(rows) != 2 || rows[0].PasswordHash != bcrypt || rows[0].Password != "" || rows[1].Password != "password1" || rows[1].PasswordHash != "" {
		t.Errorf("rows %+v", rows)
	}
	want := map[int]string{3: "weak", 4: "one or the other", 5: ""}
	if len(problems) != 3 {
		t.Fatalf("problems %+v, want lines 3, 4 and 5", problems)
	}
	for _, p := range problems {
		reason, ok := want[p.Line]
		if !ok || p.Column != "password_hash" || !strings.Contains(p.Reason, reason) {
			t.Errorf("problem %+v: want line in %v, column password_hash", p, want)
		}
		if strings.Contains(p.Reason, "CCCC") || strings.Contains(strings.ToLower(p.Reason), strings.ToLower(md5)) || strings.Contains(p.Reason, "not-base64") {
			t.Errorf("problem %+v repeats the hash", p)
		}
	}

	rules.WeakHashes = true
	rows, problems = checkBy(t, rules, "email,first_name,last_name,password_hash\nb@x.com,A,B,"+md5+"\n")
	if len(problems) != 0 || len(rows) != 1 || rows[0].PasswordHash != "md5$$"+strings.ToLower(md5) {
		t.Errorf("weak hashes allowed: rows %+v, problems %+v", rows, problems)
	}
}
