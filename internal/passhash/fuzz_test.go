package passhash_test

import (
	"strings"
	"testing"

	"github.com/embedid/identity/internal/passhash"
	"github.com/embedid/identity/internal/testkit"
)

// FuzzParse checks that Parse never panics, that what it accepts comes back
// from String() as an equal Hash, and that no refusal quotes the input. It
// verifies only the fast digests, so each input stays cheap.
func FuzzParse(f *testing.F) {
	for _, v := range append(testkit.LegacyHashes(), extraVectors()...) {
		f.Add(v.Hash)
	}
	f.Add("$argon2id$v=19$m=262145,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")
	f.Add("pbkdf2_sha256$1$s$\nVawEblbjCJ/sFpHCJUS2Bw==")
	f.Add("md5$$")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := passhash.Parse(s)
		if err != nil {
			if len(s) > 8 && strings.Contains(err.Error(), s) {
				t.Fatalf("the error quotes the input: %v", err)
			}
			return
		}
		again, err := passhash.Parse(h.String())
		if err != nil || again != h || again.String() != h.String() {
			t.Fatalf("%s does not round-trip through String(): %v", h.Format(), err)
		}
		if h.Weak() {
			h.Verify([]byte(s))
		}
	})
}
