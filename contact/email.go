package contact

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/embedid/identity/internal/errs"
)

// Limits on an address's length, in bytes (RFC 5321 and RFC 1035).
const (
	maxEmail      = 254
	maxEmailLocal = 64
	maxLabel      = 63
)

// Email is an email address: what the user typed (trimmed) for display and
// its normalized form (trimmed, lower-cased) for identity and uniqueness.
type Email struct {
	Display    string
	Normalized string
}

// IsZero reports whether e is the zero Email, which stands for no address.
func (e Email) IsZero() bool { return e == Email{} }

// String returns the address as the user typed it.
func (e Email) String() string { return e.Display }

// ParseEmail validates and normalizes an address. It accepts a bare
// addr-spec only: a dot-atom local part of RFC 5322 atext and UTF-8 letters
// (quoted local parts such as "a b"@example.com are refused), one "@", and a
// domain of at least two dot-separated labels made of letters, digits and
// inner hyphens, where letters may be non-ASCII (IDN). field is the request
// field name used in errors.
func ParseEmail(text, field string) (Email, error) {
	s := strings.TrimSpace(text)
	if problem := emailProblem(s); problem != "" {
		return Email{}, errs.New(errs.Invalid, field, "%s", problem)
	}
	return Email{Display: s, Normalized: strings.ToLower(s)}, nil
}

// NormalizeEmail returns the lookup key for text, trimmed and lower-cased,
// without validating it, for searches.
func NormalizeEmail(text string) string {
	return strings.ToLower(strings.TrimSpace(text))
}

// emailProblem says what is wrong with the trimmed address s, or returns "".
func emailProblem(s string) string {
	switch {
	case s == "":
		return "is required"
	case len(s) > maxEmail:
		return fmt.Sprintf("is too long (at most %d bytes)", maxEmail)
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.ContainsAny(s, "<>"):
		return "must be the address alone, such as name@example.com, without a name or <>"
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return "must not contain spaces or control characters"
	case strings.Count(s, "@") != 1:
		return "must contain exactly one @"
	}
	local, domain, _ := strings.Cut(s, "@")
	switch {
	case local == "":
		return "is missing the part before @"
	case len(local) > maxEmailLocal:
		return fmt.Sprintf("has too long a part before @ (at most %d bytes)", maxEmailLocal)
	case local[0] == '"':
		return "must not quote the part before @"
	case local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, ".."):
		return "must not start or end the part before @ with a dot, or have two dots in a row there"
	}
	for _, r := range local {
		if r != '.' && !isAtext(r) {
			return fmt.Sprintf("must not contain %q before @", r)
		}
	}
	if domain == "" {
		return "is missing the domain after @"
	}
	if !validDomain(domain) {
		return fmt.Sprintf("domain %q is not valid", domain)
	}
	return ""
}

// validDomain reports whether d has two or more valid labels and a
// top-level label that is not all digits, so IP addresses are refused.
func validDomain(d string) bool {
	labels, last := 0, ""
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > maxLabel || label[0] == '-' || label[len(label)-1] == '-' ||
			strings.ContainsFunc(label, func(r rune) bool { return r != '-' && !isAlnum(r) }) {
			return false
		}
		labels, last = labels+1, label
	}
	return labels > 1 && !allDigits(last)
}

// isAtext reports whether r may appear in a dot-atom: RFC 5322 atext, or a
// non-ASCII letter, mark or digit.
func isAtext(r rune) bool {
	return isAlnum(r) || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}

// isAlnum reports whether r is an ASCII letter or digit, or a non-ASCII
// letter, mark or digit.
func isAlnum(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}
