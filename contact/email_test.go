package contact_test

import (
	"strings"
	"testing"

	"github.com/embedid/identity/contact"
)

var emailTests = []struct {
	text, display, normalized string
}{
	{"alice@example.com", "alice@example.com", "alice@example.com"},
	{"  Alice.Smith@Example.COM\t", "Alice.Smith@Example.COM", "alice.smith@example.com"},
	{"alice+news@example.com", "alice+news@example.com", "alice+news@example.com"},
	{"bob@mail.eu.example.co.uk", "bob@mail.eu.example.co.uk", "bob@mail.eu.example.co.uk"},
	{"o'brien_{x}!#$%&*/=?^`|~-@ex-ample.org", "o'brien_{x}!#$%&*/=?^`|~-@ex-ample.org", "o'brien_{x}!#$%&*/=?^`|~-@ex-ample.org"},
	{"user@例子.广告", "user@例子.广告", "user@例子.广告"},
	{"user@xn--fsqu00a.xn--3lr804guic", "user@xn--fsqu00a.xn--3lr804guic", "user@xn--fsqu00a.xn--3lr804guic"},
	{"Jürgen@Bücher.DE", "Jürgen@Bücher.DE", "jürgen@bücher.de"},
	{"1@2.example", "1@2.example", "1@2.example"},
	{longest, longest, longest},
	{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + ".com", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + ".com", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + ".com"},
}

func TestParseEmail(t *testing.T) {
	for _, tt := range emailTests {
		got, err := contact.ParseEmail(tt.text, "email")
		want := contact.Email{Display: tt.display, Normalized: tt.normalized}
		if err != nil || got != want || got.String() != tt.display {
			t.Errorf("ParseEmail(%q) = %+v, %v; want %+v", tt.text, got, err, want)
		}
		if n := contact.NormalizeEmail(tt.text); n != tt.normalized {
			t.Errorf("NormalizeEmail(%q) = %q; want %q", tt.text, n, tt.normalized)
		}
	}
}

// longest is an address of the greatest length, 254 bytes.
var longest = strings.Repeat("a", 63) + "@" + strings.Repeat(strings.Repeat("b", 62)+".", 3) + "c"

var emailErrorTests = []struct {
	text, msg string
}{
	{"", "is required"},
	{" \n ", "is required"},
	{"a" + longest, "is too long"},
	{"a@b.com\xff", "is not valid UTF-8"},
	{"Bob <bob@example.com>", "without a name or <>"},
	{"<bob@example.com>", "without a name or <>"},
	{"bob @example.com", "must not contain spaces"},
	{"bob@exam\u00a0ple.com", "must not contain spaces"},
	{"bob@example.com\x00", "control characters"},
	{"bob.example.com", "must contain exactly one @"},
	{"bob@@example.com", "must contain exactly one @"},
	{"bob@example@com", "must contain exactly one @"},
	{"@example.com", "is missing the part before @"},
	{strings.Repeat("a", 65) + "@example.com", "too long a part before @"},
	{`"bob"@example.com`, "must not quote the part before @"},
	{".bob@example.com", "two dots in a row"},
	{"bob.@example.com", "two dots in a row"},
	{"bo..b@example.com", "two dots in a row"},
	{"bob,smith@example.com", `must not contain ',' before @`},
	{"bob\\@example.com", `must not contain '\\' before @`},
	{"bob@", "is missing the domain after @"},
	{"bob@x", `domain "x" is not valid`},
	{"bob@example.com.", `domain "example.com." is not valid`},
	{"bob@.example.com", `domain ".example.com" is not valid`},
	{"bob@exa..mple.com", `domain "exa..mple.com" is not valid`},
	{"bob@-example.com", `domain "-example.com" is not valid`},
	{"bob@example-.com", `domain "example-.com" is not valid`},
	{"bob@exa_mple.com", `domain "exa_mple.com" is not valid`},
	{"bob@[192.0.2.1]", `domain "[192.0.2.1]" is not valid`},
	{"bob@192.0.2.1", `domain "192.0.2.1" is not valid`},
	{"bob@" + strings.Repeat("b", 64) + ".com", "is not valid"},
}

func TestParseEmailErrors(t *testing.T) {
	for _, tt := range emailErrorTests {
		got, err := contact.ParseEmail(tt.text, "email")
		checkErr(t, "ParseEmail("+tt.text+")", got.IsZero(), err, "email", tt.msg)
	}
}

func FuzzParseEmail(f *testing.F) {
	for _, tt := range emailTests {
		f.Add(tt.text)
	}
	for _, tt := range emailErrorTests {
		f.Add(tt.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		e, err := contact.ParseEmail(text, "email")
		if err != nil {
			checkErr(t, "ParseEmail", e.IsZero(), err, "email", "")
			return
		}
		if back, err := contact.ParseEmail(e.Display, "email"); err != nil || back != e {
			t.Fatalf("ParseEmail(%q) = %+v, but ParseEmail(%q) = %+v, %v", text, e, e.Display, back, err)
		}
		if e.Normalized != strings.ToLower(e.Normalized) || e.Normalized != contact.NormalizeEmail(text) {
			t.Fatalf("ParseEmail(%q): Normalized %q is not NormalizeEmail's lower-case key", text, e.Normalized)
		}
	})
}

func BenchmarkParseEmail(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := contact.ParseEmail("alice.smith+news@example.com", "email"); err != nil {
			b.Fatal(err)
		}
	}
}
