package csvimport_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/csvimport"
	"github.com/embedid/identity/internal/errs"
)

const repeating = "email,first_name,last_name,mobile\n" +
	"a@x.com,A,B,15204130006\n" + // line 2
	"b@x.com,A,B,15204130007\n" +
	"A@X.com,A,,+86 152 0413 0007\n" + // line 4: repeats line 2's address and line 3's number, and lacks a last name
	"c@x.com,A,B,\n" +
	"a@x.com,A,B,\n" // line 6: repeats line 2 again

// TestRepeatsNamesTheFirstRow checks that each repeat names the first row
// with the value, even when every value hashes alike and only reading the
// file again tells them apart.
func TestRepeatsNamesTheFirstRow(t *testing.T) {
	want := []csvimport.Problem{
		{Line: 4, Column: "last_name"},
		{Line: 4, Column: "mail_address", Reason: "repeats the address on line 2"},
		{Line: 4, Column: "mobile", Reason: "repeats the number on line 3"},
		{Line: 6, Column: "mail_address", Reason: "repeats the address on line 2"},
	}
	for name, hash := range map[string]func(string) uint64{"real hash": nil, "every value collides": func(string) uint64 { return 7 }} {
		_, problems, err := readAll(t, repeating, hash)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) != len(want) {
			t.Fatalf("%s: problems %+v, want %+v", name, problems, want)
		}
		for i, w := range want {
			p := problems[i]
			if p.Line != w.Line || p.Column != w.Column || w.Reason != "" && p.Reason != w.Reason {
				t.Errorf("%s: problem %d = %+v, want %+v", name, i, p, w)
			}
		}
	}
}

// TestCollisionsAreNotRepeats checks that different values whose hashes
// collide are not reported.
func TestCollisionsAreNotRepeats(t *testing.T) {
	file := "email,first_name,last_name,mobile\na@x.com,A,B,15204130006\nb@x.com,A,B,15204130007\n"
	_, problems, err := readAll(t, file, func(string) uint64 { return 7 })
	if err != nil || len(problems) != 0 {
		t.Fatalf("problems %+v, err %v", problems, err)
	}
}

// mustOpen opens the import file r holds, reading mobiles in CN.
func mustOpen(t *testing.T, r io.Reader) *csvimport.File {
	t.Helper()
	f, err := csvimport.Open(r, csvimport.Rules{Region: "CN", Phones: contact.Valid})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// each checks f and then collects what Each reads, in batches of two.
func each(t *testing.T, f *csvimport.File, between func()) ([]string, error) {
	t.Helper()
	if err := f.Check(func(csvimport.Row, []csvimport.Problem) error { return nil }); err != nil {
		t.Fatal(err)
	}
	between()
	var got []string
	err := f.Each(2, func(rows []csvimport.Row) error {
		for _, r := range rows {
			got = append(got, r.Email.Normalized)
		}
		return nil
	})
	return got, err
}

func TestEachRereadsFromWhereTheReaderWas(t *testing.T) {
	r := strings.NewReader("junk before the file\nemail,first_name,last_name\na@x.com,A,B\nb@x.com,A,B\nc@x.com,A,B\n")
	r.Seek(int64(len("junk before the file\n")), io.SeekStart)
	f := mustOpen(t, r)
	got, err := each(t, f, func() {})
	if err != nil || strings.Join(got, " ") != "a@x.com b@x.com c@x.com" {
		t.Fatalf("read %v, err %v", got, err)
	}
	got = got[:0]
	err = f.Emails(2, func(emails []contact.Email) error {
		for _, e := range emails {
			got = append(got, e.Normalized)
		}
		return nil
	})
	if err != nil || strings.Join(got, " ") != "a@x.com b@x.com c@x.com" {
		t.Fatalf("Emails read %v, err %v", got, err)
	}
}

// TestOpenCopiesWhatCannotSeek checks that a reader without Seek is copied
// to a temporary file that has no name once open, on systems that allow it,
// and none after Close on every system.
func TestOpenCopiesWhatCannotSeek(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	f := mustOpen(t, io.MultiReader(strings.NewReader("email,first_name,last_name\n"), strings.NewReader("a@x.com,A,B\n")))
	got, err := each(t, f, func() {})
	if err != nil || strings.Join(got, " ") != "a@x.com" {
		t.Fatalf("read %v, err %v", got, err)
	}
	if copies, _ := filepath.Glob(filepath.Join(os.TempDir(), "identity-import-*")); len(copies) != 0 && runtime.GOOS != "windows" {
		t.Fatalf("the temporary copy has a name while open: %v", copies)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if copies, _ := filepath.Glob(filepath.Join(os.TempDir(), "identity-import-*")); len(copies) != 0 {
		t.Fatalf("Close left %v", copies)
	}
}

func TestOpenReportsAReadError(t *testing.T) {
	f := mustOpen(t, io.MultiReader(strings.NewReader("email,first_name,last_name\na@x.com,A,B\n"), failing{}))
	err := f.Check(func(csvimport.Row, []csvimport.Problem) error { return nil })
	if errs.CodeOf(err) != errs.Invalid || errs.FieldOf(err) != "file" {
		t.Fatalf("got %v, want an invalid file", err)
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// TestEachNoticesAChangedFile changes the file between Check and Each.
func TestEachNoticesAChangedFile(t *testing.T) {
	const checked = "email,first_name,last_name\na@x.com,A,B\nb@x.com,A,B\nc@x.com,A,B\n"
	for name, now := range map[string]string{
		"a row more":        checked + "d@x.com,A,B\n",
		"a row less":        "email,first_name,last_name\na@x.com,A,B\nb@x.com,A,B\n",
		"a row differs":     "email,first_name,last_name\na@x.com,A,B\nb@x.com,A,C\nc@x.com,A,B\n",
		"a row is now bad":  "email,first_name,last_name\na@x.com,A,B\nb@x.com,A,B\nc@x.com,A,\n",
		"the header is bad": "email,first_name\n",
	} {
		path := filepath.Join(t.TempDir(), "members.csv")
		if err := os.WriteFile(path, []byte(checked), 0o600); err != nil {
			t.Fatal(err)
		}
		file, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		f := mustOpen(t, file)
		_, err = each(t, f, func() {
			if err := os.WriteFile(path, []byte(now), 0o600); err != nil {
				t.Fatal(err)
			}
		})
		if errs.CodeOf(err) != errs.Conflict || !strings.Contains(err.Error(), "changed while it was imported") {
			t.Errorf("%s: got %v, want a conflict", name, err)
		}
		file.Close()
	}
}
