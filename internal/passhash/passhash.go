// Package passhash parses and verifies password hashes made by other
// systems, so that users migrated into the library keep their passwords
// until they next sign in and the hash is made again with bcrypt.
//
// Parse recognises the format from the value and refuses any cost, salt or
// digest outside the limits below, so that a stored value can never make a
// verification take unbounded time or memory. No error names the value.
package passhash

import (
	"strings"

	"github.com/embedid/identity/internal/errs"
)

// Limits on what Parse accepts. They bound the time and memory one Verify
// may take, whatever the stored value says.
const (
	// MaxLen is the longest stored value, in bytes.
	MaxLen = 512
	// MaxBcryptCost is the highest bcrypt cost (2^16 rounds).
	MaxBcryptCost = 16
	// MaxArgon2Memory is the most memory argon2 may use, in KiB (256 MiB).
	MaxArgon2Memory = 262144
	// MaxArgon2Time is the most argon2 passes; MaxArgon2Threads the most lanes.
	MaxArgon2Time    = 16
	MaxArgon2Threads = 16
	// MaxArgon2Work bounds argon2's memory (KiB) times its passes.
	MaxArgon2Work = 1 << 20
	// MaxScryptLogN is the highest scrypt ln (N = 2^ln); MaxScryptR and
	// MaxScryptP bound its block size and parallelism.
	MaxScryptLogN = 20
	MaxScryptR    = 32
	MaxScryptP    = 16
	// MaxScryptMemory bounds scrypt's memory, 128·r·N, in bytes (256 MiB).
	MaxScryptMemory = 256 << 20
	// MaxScryptWork bounds scrypt's N·r·p: 2^21 takes about a second.
	MaxScryptWork = 1 << 21
	// MaxPBKDF2Iterations is the most PBKDF2 iterations.
	MaxPBKDF2Iterations = 5_000_000
	// MaxSaltLen is the longest salt, in bytes; MinKDFSaltLen the shortest
	// argon2 or scrypt salt.
	MaxSaltLen    = 64
	MinKDFSaltLen = 8
	// MinDigestLen and MaxDigestLen bound the derived key of argon2, scrypt
	// and PBKDF2, in bytes.
	MinDigestLen = 16
	MaxDigestLen = 64
)

// Hash is a parsed password hash. The zero Hash matches nothing. Hashes
// are comparable with ==.
type Hash struct{ s scheme }

// scheme is one format's parsed value.
type scheme interface {
	format() string
	weak() bool
	encode() string
	verify(password []byte) bool
}

// Parse recognises the format of the stored hash s and checks it against
// the limits.
func Parse(s string) (Hash, error) {
	if len(s) > MaxLen {
		return Hash{}, invalid("is longer than %d bytes", MaxLen)
	}
	sch, err := parse(s)
	if err != nil {
		return Hash{}, err
	}
	return Hash{sch}, nil
}

// Accept parses s as a hash to store for a new password: Parse, refusing
// a weak one unless weak is true.
func Accept(s string, weak bool) (Hash, error) {
	h, err := Parse(s)
	if err == nil && h.Weak() && !weak {
		return Hash{}, invalid("is a fast %s digest, which a leaked database gives up quickly; it is accepted only when the import allows weak hashes", h.Format())
	}
	return h, err
}

// parse picks the format from the value's first field.
func parse(s string) (scheme, error) {
	if IsBcrypt([]byte(s)) {
		return parseBcrypt(s)
	}
	ident, _, found := strings.Cut(strings.TrimPrefix(s, "$"), "$")
	switch {
	case !found:
		return parseBareHex(s)
	case s[0] != '$' && strings.HasPrefix(ident, "pbkdf2_"):
		return parseDjangoPBKDF2(s)
	case s[0] != '$':
		return parseDigest(s)
	case ident == "argon2id" || ident == "argon2i":
		return parseArgon2(s)
	case ident == "scrypt":
		return parseScrypt(s)
	case ident == "pbkdf2" || strings.HasPrefix(ident, "pbkdf2-"):
		return parsePasslibPBKDF2(s)
	}
	return nil, invalid("is not in a supported password hash format")
}

// IsBcrypt reports whether b looks like a bcrypt hash ("$2" and a version),
// without checking the rest.
func IsBcrypt(b []byte) bool {
	return len(b) >= 3 && b[0] == '$' && b[1] == '2'
}

// Format returns the name of the hash's algorithm: "bcrypt", "argon2id",
// "argon2i", "scrypt", "pbkdf2_sha1", "pbkdf2_sha256", "pbkdf2_sha512",
// "md5", "sha1", "sha256" or "sha512"; "" for the zero Hash.
func (h Hash) Format() string {
	if h.s == nil {
		return ""
	}
	return h.s.format()
}

// Weak reports whether the hash is a fast digest (salted or unsalted MD5 or
// SHA-*), which a stolen copy gives up to brute force.
func (h Hash) Weak() bool { return h.s != nil && h.s.weak() }

// String returns the hash's canonical stored form, which Parse reads back
// as an equal Hash.
func (h Hash) String() string {
	if h.s == nil {
		return ""
	}
	return h.s.encode()
}

// Verify reports whether password matches the hash; digests are compared
// in constant time.
func (h Hash) Verify(password []byte) bool { return h.s != nil && h.s.verify(password) }

// invalid is a refusal of the stored hash; its message never holds the value.
func invalid(format string, args ...any) error {
	return errs.New(errs.Invalid, "password_hash", format, args...)
}
